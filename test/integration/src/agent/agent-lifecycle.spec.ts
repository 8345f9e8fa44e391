import { createServer } from 'node:net';
import { TaskPhase } from '@gantry/proto';
import { UnauthenticatedError } from '@gantry/domain';
import { AgentFixture, BOOTSTRAP_TOKEN, NODE_NAME } from './agent-fixture';
import { eventually, isAlive } from '@gantry/testing';
import { commandSpec } from './node-agent-client';
import { unavailable } from './recording-gateway';

const task = (taskId: string, attempt = 1) => ({ taskId, jobId: taskId, attempt, rank: 0 });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('node agent: life with the control plane', () => {
  let fx: AgentFixture;
  beforeAll(() => AgentFixture.build());
  afterAll(() => AgentFixture.clean());
  afterEach(async () => fx.destroy());

  it('registers with the bootstrap token once the control plane answers, then heartbeats', async () => {
    const port = await freePort();
    fx = await new AgentFixture().start({ gatewayPort: port, gatewayLater: true });
    await fx.agent.waitForLog(
      'a failed registration',
      (l) => l.msg === 'cannot register with the control plane; retrying',
    );
    await fx.gateway.start(port);
    await fx.registered();
    const [{ request, token }] = fx.gateway.registers as [(typeof fx.gateway.registers)[0]];
    expect(token).toBe(BOOTSTRAP_TOKEN);
    expect(request).toMatchObject({
      nodeName: NODE_NAME,
      agentAddress: `127.0.0.1:${fx.port}`,
      agentVersion: '0.1.0',
      tasks: [],
    });
    expect(request.instanceId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(request.inventory?.simulated).toBe(true);
    expect(request.inventory?.gpus.map((g) => [g.uuid, g.name, g.model])).toEqual(
      [0, 1, 2, 3].map((i) => [`SIM-${NODE_NAME}-${i}`, 'Simulated H100-80GB', 'H100-80GB']),
    );
    await eventually('two heartbeats', () =>
      fx.gateway.heartbeats.length >= 2 ? true : undefined,
    );
    expect(fx.gateway.heartbeats[0]).toMatchObject({
      token: fx.gateway.nodeToken,
      request: { nodeId: fx.gateway.nodeId, instanceId: request.instanceId },
    });
    const described = await fx.rpc.describeNode();
    expect(described).toMatchObject({
      nodeId: fx.gateway.nodeId,
      nodeName: NODE_NAME,
      instanceId: request.instanceId,
    });
  });

  it('registers again on UNAUTHENTICATED, listing the task it still runs', async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
    await fx.rpc.runTask({
      task: task('job_long'),
      spec: commandSpec(['sleep', '100']),
      gpuIndices: [],
    });
    const started = await eventually('started', () => fx.gateway.delivered('job_long', 1)[0]);
    const pid = started.payload?.$case === 'started' ? started.payload.started.pid : 0;
    const oldToken = fx.gateway.nodeToken;
    fx.gateway.rotateToken(); // the control plane lost the node's token
    await fx.registered(2);
    expect(fx.gateway.registers[1]!.request.tasks).toEqual([
      { task: task('job_long'), phase: TaskPhase.TASK_PHASE_RUNNING, gpuIndices: [] },
    ]);
    expect(isAlive(pid)).toBe(true);
    await eventually('a heartbeat with the new token', () =>
      fx.gateway.heartbeats.some((h) => h.token === fx.gateway.nodeToken) ? true : undefined,
    );
    await expect(fx.rpc.describeNode(oldToken)).rejects.toThrow(UnauthenticatedError);
    expect((await fx.rpc.describeNode(fx.gateway.nodeToken)).tasks).toHaveLength(1);
  });

  it('loses no event while the control plane is unavailable', async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
    fx.gateway.failAll = unavailable();
    const script = 'for i in 1 2 3 4 5; do echo "line $i"; done; exit 0';
    await fx.rpc.runTask({
      task: task('job_offline'),
      spec: commandSpec(['sh', '-c', script]),
      gpuIndices: [],
    });
    await fx.agent.waitForLog(
      'a failed report',
      (l) => l.msg === 'cannot report task events; keeping them and retrying',
    );
    expect(fx.gateway.received).toEqual([]);
    fx.gateway.failAll = undefined;
    const events = await fx.exited('job_offline');
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const lines = events.flatMap((e) => (e.payload?.$case === 'log' ? e.payload.log.lines : []));
    expect(lines).toEqual([1, 2, 3, 4, 5].map((i) => `line ${i}`));
  });

  it('stops a task the heartbeat reply names', async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
    await fx.rpc.runTask({
      task: task('job_ordered'),
      spec: commandSpec(['sleep', '100']),
      gpuIndices: [],
    });
    await eventually('started', () => fx.gateway.delivered('job_ordered', 1)[0]);
    fx.gateway.stopTasks = [task('job_ordered')];
    const events = await fx.exited('job_ordered');
    expect(events.at(-1)!.payload).toMatchObject({
      exited: { reason: 'Cancelled', signal: 'SIGTERM' },
    });
  });

  it('on SIGTERM stops its tasks, delivers their exit, and exits 0', async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
    await fx.rpc.runTask({
      task: task('job_shutdown'),
      spec: commandSpec(['sleep', '100']),
      gpuIndices: [],
    });
    const started = await eventually('started', () => fx.gateway.delivered('job_shutdown', 1)[0]);
    const pid = started.payload?.$case === 'started' ? started.payload.started.pid : 0;
    fx.agent.signal('SIGTERM');
    fx.agent.signal('SIGTERM'); // a second signal changes nothing
    expect(await fx.agent.exit).toEqual({ code: 0, signal: null });
    expect(isAlive(pid)).toBe(false);
    const events = fx.gateway.delivered('job_shutdown', 1);
    expect(events.at(-1)!.payload).toMatchObject({
      exited: { reason: 'AgentShutdown', signal: 'SIGTERM' },
    });
    expect(fx.agent.lines.map((l) => l.msg)).toContain('node agent stopped');
  });
});
