import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Node, NodeState } from '@gantry/proto';
import { readContext } from '../connection/context-file';
import { type GantryApi } from '../connection/grpc-api';
import { fakeEnvironment } from '../testing/fake-environment';
import { freePort, portFree } from './ports';
import { runUp, type ShutdownSignal, type UpRuntime } from './run-up';
import { type UpOptions } from './up-options';

/**
 * runUp's life cycle with small scripts standing in for the control plane and the agents (the
 * real ones run under `gantry up` end to end): context, banner, signals, a dying child.
 */
describe('runUp', () => {
  let dir: string;
  let options: UpOptions;
  let handlers: Map<ShutdownSignal, () => void>;
  let onListening: () => void;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-run-up-'));
    options = {
      agents: 1,
      gpus: '1xT4-16GB',
      gpusPerAgent: 1,
      demo: false,
      dataDir: join(dir, 'data'),
      port: undefined,
    };
    handlers = new Map();
    onListening = () => {};
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function runtime(agentCode: string): Promise<UpRuntime> {
    const write = async (name: string, code: string) => {
      await writeFile(join(dir, name), code);
      return join(dir, name);
    };
    const started = join(dir, 'agent-started');
    return {
      inherited: {},
      nodeBinary: process.execPath,
      programs: {
        controlPlane: await write('cp.js', 'setInterval(() => {}, 1000);'),
        nodeAgent: await write(
          'agent.js',
          `require('fs').writeFileSync(${JSON.stringify(started)}, ''); ${agentCode}`,
        ),
        simulatedEngine: await write('engine.js', ''),
      },
      redisProbes: {
        configuredUrl: 'redis://127.0.0.1:1',
        redisServer: 'x',
        hasProgram: async () => false,
        dockerAnswers: async () => false,
      },
      onSignal: (signal, handler) => handlers.set(signal, handler),
      offSignal: (signal) => handlers.delete(signal),
      freePort: () => freePort(),
      portFree: (port) => portFree(port),
      httpReady: async () => true,
      openApi: () =>
        ({
          listNodes: async () => {
            if (!existsSync(started)) return [];
            onListening();
            return [
              Node.fromPartial({
                name: 'node-1',
                state: NodeState.NODE_STATE_READY,
                lastHeartbeatTime: new Date(),
              }),
            ];
          },
          close: () => {},
        }) as unknown as GantryApi,
    };
  }

  function environment() {
    return fakeEnvironment(
      {},
      { config: { home: join(dir, 'home'), upStartTimeoutSeconds: 10, upStopGraceSeconds: 2 } },
    );
  }

  it('writes a private context, prints the banner, and stops cleanly on Ctrl-C', async () => {
    const { env, stdout } = environment();
    const up = runUp(options, env, await runtime('setInterval(() => {}, 1000);'));
    // Ctrl-C once the cluster is up (the banner is printed right after the nodes are seen).
    onListening = () => setImmediate(() => handlers.get('SIGINT')?.());
    await expect(up).resolves.toBe(0);
    const context = await readContext(join(dir, 'home', 'context.json'));
    expect(context?.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(context?.apiKey).toMatch(/^gk_/);
    expect((await stat(join(dir, 'home', 'context.json'))).mode & 0o777).toBe(0o600);
    expect(stdout.text).toContain('Gantry is up.');
    expect(stdout.text).toContain('Ctrl-C: stopping the cluster');
    expect(stdout.text).toContain('gantry up: stopped');
    expect(handlers.size).toBe(0);
    expect(existsSync(join(options.dataDir, 'gantry-up.pid'))).toBe(false);
  });

  it('stops the rest and exits 1 when a child dies, saying which', async () => {
    const { env, stderr } = environment();
    const code = await runUp(
      options,
      env,
      await runtime('console.log("lost my GPUs"); setTimeout(() => process.exit(9), 50);'),
    );
    expect(code).toBe(1);
    expect(stderr.text).toContain('node-1 stopped unexpectedly (node-1 exited with code 9)');
    expect(stderr.text).toContain('lost my GPUs');
  });
});
