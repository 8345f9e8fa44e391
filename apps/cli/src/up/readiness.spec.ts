import { createServer, type Server } from 'node:http';
import { Node, NodeState } from '@gantry/proto';
import { httpReady, nodesReady } from './readiness';

describe('nodesReady', () => {
  const since = Date.parse('2026-11-29T12:00:00Z');
  const node = (name: string, heardMs: number, state = NodeState.NODE_STATE_READY) =>
    Node.fromPartial({ name, state, lastHeartbeatTime: new Date(heardMs) });

  it('wants every named node ready and heard from since the agents started', () => {
    const nodes = [
      node('node-1', since + 10),
      node('node-2', since + 20),
      node('other', since - 1),
    ];
    expect(nodesReady(nodes, ['node-1', 'node-2'], since)).toBe(true);
  });

  it("does not count the previous run's nodes, lost ones or missing ones", () => {
    expect(
      nodesReady(
        [node('node-1', since + 5), node('node-2', since - 5)],
        ['node-1', 'node-2'],
        since,
      ),
    ).toBe(false);
    expect(
      nodesReady([node('node-1', since + 5, NodeState.NODE_STATE_LOST)], ['node-1'], since),
    ).toBe(false);
    expect(nodesReady([node('node-1', since + 5)], ['node-1', 'node-2'], since)).toBe(false);
  });

  it('counts a node that registered since, before its first heartbeat', () => {
    const registered = Node.fromPartial({
      name: 'node-1',
      state: NodeState.NODE_STATE_READY,
      registerTime: new Date(since + 1),
    });
    expect(nodesReady([registered], ['node-1'], since)).toBe(true);
  });
});

describe('httpReady', () => {
  let server: Server;
  let status = 503;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(status).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is true on 2xx only', async () => {
    const { port } = server.address() as { port: number };
    status = 503;
    await expect(httpReady(`http://127.0.0.1:${port}/readyz`)).resolves.toBe(false);
    status = 200;
    await expect(httpReady(`http://127.0.0.1:${port}/readyz`)).resolves.toBe(true);
  });

  it('is false when nothing listens', async () => {
    await expect(httpReady('http://127.0.0.1:1/readyz')).resolves.toBe(false);
  });
});
