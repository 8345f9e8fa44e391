import { UnauthenticatedError, UnavailableError, NotFoundError } from '@gantry/domain';
import { silentLogger } from '@gantry/observability';
import type {
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterRequest,
  RegisterResponse,
  TaskRef,
} from '@gantry/proto';
import type { AgentGateway } from './gateway';
import { AgentSession, type NodeReport } from './session';
import { SteppedSleep } from './stepped-sleep';

/** A control plane that answers as each test scripts it, and records every call. */
class ScriptedGateway implements Pick<AgentGateway, 'register' | 'heartbeat'> {
  readonly registers: { request: RegisterRequest; token: string }[] = [];
  readonly heartbeats: { request: HeartbeatRequest; token: string }[] = [];
  registerFailures: Error[] = [];
  heartbeatFailures: Error[] = [];
  stopTasks: TaskRef[] = [];

  async register(request: RegisterRequest, token: string): Promise<RegisterResponse> {
    this.registers.push({ request, token });
    const failure = this.registerFailures.shift();
    if (failure) throw failure;
    const n = this.registers.length;
    return {
      nodeId: 'node-1',
      nodeToken: `token-${n}`,
      heartbeatInterval: { seconds: 3, nanos: 0 },
    };
  }

  async heartbeat(request: HeartbeatRequest, token: string): Promise<HeartbeatResponse> {
    this.heartbeats.push({ request, token });
    const failure = this.heartbeatFailures.shift();
    if (failure) throw failure;
    const stopTasks = this.stopTasks;
    this.stopTasks = [];
    return { stopTasks, heartbeatInterval: undefined };
  }
}

class FakeNode implements NodeReport {
  tasks = [{ task: { taskId: 't1', jobId: 'j1', attempt: 1, rank: 0 }, phase: 2, gpuIndices: [0] }];
  stopped: TaskRef[][] = [];

  registerRequest(): RegisterRequest {
    return {
      nodeName: 'n1',
      agentAddress: 'h:1',
      labels: {},
      agentVersion: 'v',
      instanceId: 'i',
      tasks: this.tasks,
    };
  }

  heartbeatRequest(nodeId: string): HeartbeatRequest {
    return { nodeId, tasks: this.tasks, instanceId: 'i' };
  }

  stopTasks(refs: readonly TaskRef[]): void {
    this.stopped.push([...refs]);
  }
}

function setUp(backoff = { initialMs: 100, maxMs: 1000 }) {
  const gateway = new ScriptedGateway();
  const node = new FakeNode();
  const steps = new SteppedSleep();
  const session = new AgentSession({
    gateway,
    node,
    bootstrapToken: 'bootstrap-token-0123',
    log: silentLogger(),
    sleep: steps.sleep,
    backoff,
  });
  return { gateway, node, steps, session };
}

const down = () => new UnavailableError('UNAVAILABLE: connection refused');

describe('AgentSession', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => stop?.());

  it('retries Register with capped exponential backoff until the control plane answers', async () => {
    const { gateway, steps, session } = setUp();
    stop = () => session.stop();
    gateway.registerFailures = [down(), down(), down(), down(), down()];
    session.start();
    for (const expected of [100, 200, 400, 800, 1000]) {
      const sleep = await steps.next();
      expect(sleep.ms).toBe(expected);
      expect(session.current()).toBeNull();
      sleep.wake();
    }
    await steps.next(); // now registered: waiting for the first heartbeat
    expect(session.current()).toEqual({ nodeId: 'node-1', token: 'token-6' });
    expect(gateway.registers).toHaveLength(6);
    expect(gateway.registers[5]!.token).toBe('bootstrap-token-0123');
    expect(gateway.registers[5]!.request.tasks).toHaveLength(1);
  });

  it('heartbeats with the node token at the interval Register gave, and stops what it is told to', async () => {
    const { gateway, node, steps, session } = setUp();
    stop = () => session.stop();
    gateway.stopTasks = [{ taskId: 't1', jobId: 'j1', attempt: 1, rank: 0 }];
    session.start();
    const first = await steps.next();
    expect(first.ms).toBe(3000);
    first.wake();
    (await steps.next()).wake();
    await steps.next();
    expect(gateway.heartbeats.map((h) => [h.request.nodeId, h.token])).toEqual([
      ['node-1', 'token-1'],
      ['node-1', 'token-1'],
    ]);
    expect(node.stopped).toEqual([[{ taskId: 't1', jobId: 'j1', attempt: 1, rank: 0 }]]);
  });

  it.each([
    ['UNAUTHENTICATED', new UnauthenticatedError('unknown node token')],
    ['NOT_FOUND', new NotFoundError('node', 'node-1')],
  ])('registers again, listing its tasks, when a heartbeat gets %s', async (_name, error) => {
    const { gateway, steps, session } = setUp();
    stop = () => session.stop();
    gateway.heartbeatFailures = [error];
    session.start();
    (await steps.next()).wake(); // first heartbeat: rejected → register again at once
    await steps.next();
    expect(gateway.registers).toHaveLength(2);
    expect(gateway.registers[1]!.request.tasks).toEqual([
      expect.objectContaining({ task: { taskId: 't1', jobId: 'j1', attempt: 1, rank: 0 } }),
    ]);
    expect(session.current()).toEqual({ nodeId: 'node-1', token: 'token-2' });
  });

  it('keeps its credentials and backs off when heartbeats cannot get through', async () => {
    const { gateway, steps, session } = setUp({ initialMs: 2000, maxMs: 10_000 });
    stop = () => session.stop();
    gateway.heartbeatFailures = [down(), down(), down()];
    session.start();
    (await steps.next()).wake();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const sleep = await steps.next();
      delays.push(sleep.ms);
      sleep.wake();
    }
    // 2 s, 4 s, 8 s of backoff, never less than the 3 s interval; then back to the interval
    expect(delays).toEqual([3000, 4000, 8000, 3000]);
    expect(session.current()).toEqual({ nodeId: 'node-1', token: 'token-1' });
    expect(gateway.registers).toHaveLength(1);
  });

  it('invalidate() drops only the current token and wakes the loop to register again', async () => {
    const { gateway, steps, session } = setUp();
    stop = () => session.stop();
    const registered: number[] = [];
    session.onRegistered(() => registered.push(gateway.registers.length));
    session.start();
    await steps.next();
    session.invalidate('some-old-token', 'stale');
    expect(session.current()).not.toBeNull();
    session.invalidate('token-1', 'report rejected');
    await steps.next();
    expect(registered).toEqual([1, 2]);
  });
});
