import {
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  Reason,
  UnavailableError,
  ValidationError,
  derivedCredential,
  rendezvousPort,
} from '@gantry/domain';
import { PermanentDispatchError, type StopOrderMessage } from '@gantry/queue';
import { toProtoSpec } from '@gantry/grpc';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { anInventory } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { ScriptedNodeAgent } from '../testing/scripted-node-agent';
import { AgentClients } from './agent-clients.service';
import { Dispatcher } from './dispatcher.service';

describe('Dispatcher', () => {
  let agent: ScriptedNodeAgent;
  let agents: AgentClients;

  beforeAll(async () => {
    agent = await ScriptedNodeAgent.start();
  });

  afterAll(async () => {
    await agent.stop();
  });

  afterEach(() => agents.onApplicationShutdown());

  async function setUp() {
    const parts = controlPlaneParts({ maxAttempts: 3, dispatchTimeoutSeconds: 5 });
    agents = new AgentClients(parts.config);
    agent.runs.length = 0;
    agent.cancels.length = 0;
    agent.runTask = async () => ({ status: undefined, created: true });
    agent.cancelTask = async () => ({ status: undefined });
    const { node } = await parts.nodes.register({
      name: 'gpu-1',
      address: agent.address,
      inventory: anInventory(4),
      labels: {},
      agentVersion: 'test',
      instanceId: 'i-1',
      token: derivedCredential('node-token', parts.config.bootstrapToken),
      now: T0,
    });
    const dispatcher = new Dispatcher(
      parts.dispatch,
      parts.jobs,
      parts.nodes,
      parts.config,
      parts.clock,
      parts.logger,
      agents,
      parts.effects,
      parts.metrics,
    );
    return { ...parts, dispatcher, node };
  }

  /** A job placed on the node, its attempt `attempt` dispatching. */
  function placed(parts: Awaited<ReturnType<typeof setUp>>, id: string, attempt = 1) {
    return parts.jobs.add(
      aPendingJob(id, { state: 'scheduled', attempt, gpus: 2 }),
      anAttempt(id, attempt, parts.node.id, { gpuIndices: [2, 3] }),
    );
  }

  const stopOrder = (jobId: string, nodeId: string, attempt = 1): StopOrderMessage => ({
    kind: 'stop',
    jobId,
    attempt,
    nodeId,
    graceSeconds: 12.7,
    reason: 'Cancelled',
  });

  it('wires the queue worker to deliver and gaveUp with the configured concurrency', async () => {
    const parts = await setUp();
    parts.dispatcher.onApplicationBootstrap();
    expect(parts.dispatch.worker?.concurrency).toBe(parts.config.dispatchConcurrency);
    placed(parts, 'job_a');
    await parts.dispatch.worker!.handlers.deliver({
      kind: 'run',
      jobId: 'job_a',
      attempt: 1,
      nodeId: parts.node.id,
    });
    expect(agent.runs).toHaveLength(1);
    await parts.dispatcher.onModuleDestroy();
    expect(parts.dispatch.closed).toBe(1);
  });

  it("hands a current attempt to its agent with the spec, the GPUs and the node's own token", async () => {
    const parts = await setUp();
    const job = placed(parts, 'job_a', 2);
    await parts.dispatcher.deliver({
      kind: 'run',
      jobId: 'job_a',
      attempt: 2,
      nodeId: parts.node.id,
    });
    expect(agent.runs.map((r) => r.request)).toEqual([
      {
        task: { taskId: 'job_a', jobId: 'job_a', attempt: 2, rank: 0 },
        spec: toProtoSpec(job.spec),
        gpuIndices: [2, 3],
      },
    ]);
    expect(await parts.nodes.authenticate(agent.runs[0]!.token)).toMatchObject({
      id: parts.node.id,
    });
  });

  it("hands a multi-node job's rank its rank, the gang's size, nodes and rendezvous", async () => {
    const parts = await setUp();
    parts.jobs.add(
      aPendingJob('job_g', { state: 'scheduled', attempt: 3, gpus: 2, nodes: 2 }),
      anAttempt('job_g', 3, 'n_master', { rank: 0, gpuIndices: [0, 1] }),
      anAttempt('job_g', 3, parts.node.id, { rank: 1, gpuIndices: [2, 3] }),
    );
    await parts.dispatcher.deliver({
      kind: 'run',
      jobId: 'job_g',
      attempt: 3,
      rank: 1,
      nodeId: parts.node.id,
    });
    expect(agent.runs.map((r) => [r.request.task, r.request.gpuIndices, r.request.gang])).toEqual([
      [
        { taskId: 'job_g', jobId: 'job_g', attempt: 3, rank: 1 },
        [2, 3],
        {
          rank: 1,
          size: 2,
          masterHost: 'n_master', // the in-memory store's address of node n_master
          masterPort: rendezvousPort('job_g', 3),
          nodeNames: ['n_master', parts.node.id],
        },
      ],
    ]);
  });

  it('hands a rank nothing once its gang was told to stop', async () => {
    const parts = await setUp();
    parts.jobs.add(
      aPendingJob('job_g', { state: 'scheduled', attempt: 1, gpus: 2, nodes: 2 }),
      anAttempt('job_g', 1, 'n_master', { rank: 0, state: 'failed', endReason: 'StartFailed' }),
      anAttempt('job_g', 1, parts.node.id, { rank: 1, stopReason: 'GangStopped' }),
    );
    await parts.dispatcher.deliver({
      kind: 'run',
      jobId: 'job_g',
      attempt: 1,
      rank: 1,
      nodeId: parts.node.id,
    });
    expect(agent.runs).toEqual([]);
  });

  it.each([
    ['cancelled', { state: 'cancelled' as const, attempt: 1 }, 1],
    ['requeued for a newer attempt', { state: 'scheduled' as const, attempt: 2 }, 1],
    ['already running', { state: 'running' as const, attempt: 1 }, 1],
  ])('makes no call for an attempt whose job was %s', async (_name, job, attempt) => {
    const parts = await setUp();
    parts.jobs.add(
      aPendingJob('job_a', job),
      anAttempt('job_a', 1, parts.node.id, {
        state: job.state === 'running' ? 'running' : 'dispatching',
      }),
    );
    await parts.dispatcher.deliver({ kind: 'run', jobId: 'job_a', attempt, nodeId: parts.node.id });
    expect(agent.runs).toEqual([]);
  });

  it('fails an order for a node that is not registered permanently', async () => {
    const parts = await setUp();
    placed(parts, 'job_a');
    await expect(
      parts.dispatcher.deliver({
        kind: 'run',
        jobId: 'job_a',
        attempt: 1,
        rank: 0,
        nodeId: 'node_gone',
      }),
    ).rejects.toThrow(new PermanentDispatchError('node node_gone is not registered'));
  });

  it.each([
    ['FAILED_PRECONDITION', new FailedPreconditionError('attempt 3 is newer')],
    ['INVALID_ARGUMENT', ValidationError.field('spec.command.argv', 'must name a program')],
    ['PERMISSION_DENIED', new PermissionDeniedError('wrong node')],
  ])('turns an agent refusal (%s) into a PermanentDispatchError', async (_code, refusal) => {
    const parts = await setUp();
    placed(parts, 'job_a');
    agent.runTask = async () => {
      throw refusal;
    };
    const error: unknown = await parts.dispatcher
      .deliver({ kind: 'run', jobId: 'job_a', attempt: 1, rank: 0, nodeId: parts.node.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect((error as Error).message).toBe(refusal.message);
  });

  it('rethrows UNAVAILABLE so the queue retries it', async () => {
    const parts = await setUp();
    placed(parts, 'job_a');
    agent.runTask = async () => {
      throw new UnavailableError('GPU driver restarting');
    };
    const error: unknown = await parts.dispatcher
      .deliver({ kind: 'run', jobId: 'job_a', attempt: 1, rank: 0, nodeId: parts.node.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).not.toBeInstanceOf(PermanentDispatchError);
    expect(parts.jobs.abandoned).toEqual([]);
  });

  it('asks the agent to stop an attempt with the whole seconds of grace', async () => {
    const parts = await setUp();
    parts.jobs.add(
      aPendingJob('job_c', { state: 'cancelling', attempt: 1 }),
      anAttempt('job_c', 1, parts.node.id, { state: 'running' }),
    );
    await parts.dispatcher.deliver(stopOrder('job_c', parts.node.id));
    expect(agent.cancels.map((c) => c.request)).toEqual([
      {
        task: { taskId: 'job_c', jobId: 'job_c', attempt: 1, rank: 0 },
        gracePeriod: { seconds: 12, nanos: 0 },
        reason: 'Cancelled',
      },
    ]);
    expect(parts.jobs.abandoned).toEqual([]);
    expect(parts.jobs.job('job_c').state).toBe('cancelling');
  });

  it('abandons an attempt the agent does not know when told to stop it', async () => {
    const parts = await setUp();
    parts.jobs.add(
      aPendingJob('job_c', { state: 'cancelling', attempt: 1 }),
      anAttempt('job_c', 1, parts.node.id, { state: 'running' }),
    );
    agent.cancelTask = async () => {
      throw new NotFoundError('task', 'job_c/1');
    };
    await parts.dispatcher.deliver(stopOrder('job_c', parts.node.id));
    expect(parts.jobs.abandoned).toEqual([
      {
        jobId: 'job_c',
        attempt: 1,
        cause: Reason.DispatchFailed,
        detail: 'the agent on gpu-1 does not run attempt 1',
      },
    ]);
    expect(parts.jobs.job('job_c')).toMatchObject({ state: 'cancelled', reason: Reason.Cancelled });
    expect(parts.signals.jobsChanged).toContain('job_c');
  });

  it('rethrows a stop order the agent could not take for now', async () => {
    const parts = await setUp();
    agent.cancelTask = async () => {
      throw new UnavailableError('busy');
    };
    await expect(
      parts.dispatcher.deliver(stopOrder('job_c', parts.node.id)),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(parts.jobs.abandoned).toEqual([]);
  });

  it('abandons a run order it gave up on and requeues the job through the effects', async () => {
    const parts = await setUp();
    placed(parts, 'job_a');
    await parts.dispatcher.gaveUp(
      { kind: 'run', jobId: 'job_a', attempt: 1, rank: 0, nodeId: parts.node.id },
      new Error('UNAVAILABLE: connection refused'),
    );
    expect(parts.jobs.abandoned).toEqual([
      {
        jobId: 'job_a',
        attempt: 1,
        cause: Reason.DispatchFailed,
        detail: 'could not start on its node: UNAVAILABLE: connection refused',
      },
    ]);
    expect(parts.jobs.job('job_a')).toMatchObject({ state: 'pending', reason: Reason.Requeued });
    expect(parts.pending.ids()).toEqual(['job_a']);
    expect(parts.signals.schedulerWakeUps).toBe(1);
    expect(parts.log.withMessage('gave up delivering an order')).toHaveLength(1);
  });

  it('leaves a stop order it gave up on to the liveness check', async () => {
    const parts = await setUp();
    await parts.dispatcher.gaveUp(stopOrder('job_c', parts.node.id), new Error('down'));
    expect(parts.jobs.abandoned).toEqual([]);
  });
});
