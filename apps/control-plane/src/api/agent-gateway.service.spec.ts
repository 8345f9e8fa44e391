import { Metadata } from '@grpc/grpc-js';
import {
  PermissionDeniedError,
  Reason,
  UnauthenticatedError,
  ValidationError,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import {
  LogStream,
  TaskPhase,
  type RegisterRequest,
  type TaskEvent,
  type TaskStatus,
} from '@gantry/proto';
import { BOOTSTRAP_TOKEN } from '../testing/config';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { anInventory } from '../testing/in-memory-nodes';
import { controlPlaneParts } from '../testing/parts';
import { AgentGatewayHandlers } from './agent-gateway.service';
import { toProtoInventory } from './mappers/node.mapper';

function setUp() {
  const parts = controlPlaneParts({ heartbeatIntervalSeconds: 2.5, maxAttempts: 3 });
  const handlers = new AgentGatewayHandlers(
    parts.auth,
    parts.effects,
    parts.metrics,
    parts.nodes,
    parts.jobs,
    parts.liveness,
    parts.config,
    parts.clock,
    parts.logger,
  );
  const service = handlers.implementation({ finished: () => undefined });
  return { ...parts, service, bootstrap: bearerMetadata(BOOTSTRAP_TOKEN) };
}

type Parts = ReturnType<typeof setUp>;

function aRegistration(fields: Partial<RegisterRequest> = {}): RegisterRequest {
  return {
    nodeName: 'gpu-1.rack-a',
    agentAddress: '10.0.0.7:7070',
    inventory: toProtoInventory(anInventory(4)),
    labels: { zone: 'a' },
    agentVersion: '1.0.0',
    instanceId: 'instance-1',
    tasks: [],
    ...fields,
  };
}

const running = (jobId: string, attempt: number): TaskStatus => ({
  task: { taskId: jobId, jobId, attempt, rank: 0 },
  phase: TaskPhase.TASK_PHASE_RUNNING,
  gpuIndices: [0],
});

/** Registers a node and returns its id and the metadata its agent then sends. */
async function registered(parts: Parts, fields: Partial<RegisterRequest> = {}) {
  const response = await callHandler(
    parts.service.register,
    aRegistration(fields),
    parts.bootstrap,
  );
  return { nodeId: response.nodeId, metadata: bearerMetadata(response.nodeToken), response };
}

describe('AgentGatewayHandlers', () => {
  describe('Register', () => {
    it('records the node and a heartbeat, and answers with its token and the interval', async () => {
      const parts = setUp();
      const { nodeId, metadata, response } = await registered(parts);
      expect(response.heartbeatInterval).toEqual({ seconds: 2, nanos: 500_000_000 });
      expect(parts.nodes.node(nodeId)).toMatchObject({
        name: 'gpu-1.rack-a',
        address: '10.0.0.7:7070',
        state: 'ready',
        labels: { zone: 'a' },
        instanceId: 'instance-1',
      });
      expect(parts.nodes.node(nodeId).inventory.gpus).toHaveLength(4);
      expect(parts.liveness.last.get(nodeId)).toBe(parts.clock.now());
      expect(await parts.auth.node(metadata, nodeId)).toMatchObject({ id: nodeId });
      expect(parts.signals.schedulerWakeUps).toBe(1);
      expect(parts.log.withMessage('node registered')).toMatchObject([
        { node: 'gpu-1.rack-a', gpus: 4, restarted: 0 },
      ]);
    });

    it.each([
      ['no authorization', new Metadata()],
      ['a wrong bootstrap token', bearerMetadata('not-the-bootstrap-token')],
      ['a token of another length', bearerMetadata(`${BOOTSTRAP_TOKEN}x`)],
    ])('rejects %s with UNAUTHENTICATED', async (_name, metadata) => {
      const parts = setUp();
      const error = await failureOf(callHandler(parts.service.register, aRegistration(), metadata));
      expect(error).toBeInstanceOf(UnauthenticatedError);
      expect(parts.nodes.nodes.size).toBe(0);
    });

    it.each([
      ['node_name', { nodeName: '' }],
      ['node_name', { nodeName: 'GPU_1' }],
      ['node_name', { nodeName: '-gpu' }],
      ['node_name', { nodeName: 'a'.repeat(254) }],
      ['agent_address', { agentAddress: '10.0.0.7' }],
      ['agent_address', { agentAddress: '10.0.0.7:' }],
      ['agent_address', { agentAddress: 'my host:7070' }],
      ['instance_id', { instanceId: '' }],
      ['inventory', { inventory: undefined }],
    ] as [string, Partial<RegisterRequest>][])(
      'rejects a bad %s (%j), naming it',
      async (field, bad) => {
        const parts = setUp();
        const error = await failureOf(
          callHandler(parts.service.register, aRegistration(bad), parts.bootstrap),
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).violations.map((v) => v.field)).toEqual([field]);
        expect(parts.nodes.nodes.size).toBe(0);
      },
    );

    it('abandons running attempts an agent with a new instance id no longer reports', async () => {
      const parts = setUp();
      const { nodeId } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_kept', { state: 'running', attempt: 1 }),
        anAttempt('job_kept', 1, nodeId, { state: 'running' }),
      );
      parts.jobs.add(
        aPendingJob('job_gone', { state: 'running', attempt: 2 }),
        anAttempt('job_gone', 2, nodeId, { state: 'running' }),
      );
      parts.jobs.add(
        aPendingJob('job_dispatching', { state: 'scheduled', attempt: 1 }),
        anAttempt('job_dispatching', 1, nodeId),
      );

      await registered(parts, { instanceId: 'instance-2', tasks: [running('job_kept', 1)] });

      expect(parts.jobs.abandoned).toEqual([
        {
          jobId: 'job_gone',
          attempt: 2,
          cause: Reason.NodeLost,
          detail: 'the agent on gpu-1.rack-a restarted and no longer runs attempt 2',
        },
      ]);
      expect(parts.jobs.job('job_gone')).toMatchObject({
        state: 'pending',
        reason: Reason.Requeued,
      });
      expect(parts.jobs.job('job_kept').state).toBe('running');
      expect(parts.jobs.job('job_dispatching').state).toBe('scheduled');
      expect(parts.pending.ids()).toEqual(['job_gone']);
      expect(parts.log.withMessage('node registered').at(-1)).toMatchObject({ restarted: 1 });
    });

    it('abandons nothing when the same agent process registers again', async () => {
      const parts = setUp();
      const { nodeId } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_a', { state: 'running', attempt: 1 }),
        anAttempt('job_a', 1, nodeId, { state: 'running' }),
      );
      await registered(parts, { tasks: [] });
      expect(parts.jobs.abandoned).toEqual([]);
    });
  });

  describe('Heartbeat', () => {
    it('records the beat and names the attempts the agent must stop', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_a', { state: 'running', attempt: 2 }),
        anAttempt('job_a', 1, nodeId, { state: 'lost' }),
        anAttempt('job_a', 2, nodeId, { state: 'running' }),
      );
      parts.clock.advance(2_000);
      const response = await callHandler(
        parts.service.heartbeat,
        {
          nodeId,
          instanceId: 'instance-1',
          tasks: [running('job_a', 1), running('job_a', 2), { phase: 0, gpuIndices: [] }],
        },
        metadata,
      );
      expect(response).toEqual({
        stopTasks: [{ taskId: 'job_a', jobId: 'job_a', attempt: 1, rank: 0 }],
        heartbeatInterval: { seconds: 2, nanos: 500_000_000 },
      });
      expect(parts.liveness.last.get(nodeId)).toBe(parts.clock.now());
    });

    it('makes a lost node ready again and wakes the scheduler', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      await parts.nodes.markLost(1, nodeId, 'silent', 3, parts.clock.now());
      const wakeUps = parts.signals.schedulerWakeUps;
      await callHandler(
        parts.service.heartbeat,
        { nodeId, instanceId: 'instance-1', tasks: [] },
        metadata,
      );
      expect(parts.nodes.readied).toEqual([nodeId]);
      expect(parts.nodes.node(nodeId).state).toBe('ready');
      expect(parts.signals.schedulerWakeUps).toBe(wakeUps + 1);
      expect(parts.log.withMessage('lost node is heartbeating again; ready')).toHaveLength(1);
    });

    it('leaves a ready node as it is', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      await callHandler(
        parts.service.heartbeat,
        { nodeId, instanceId: 'instance-1', tasks: [] },
        metadata,
      );
      expect(parts.nodes.readied).toEqual([]);
    });

    const llama = {
      model: 'meta-llama/Llama-3.1-8B',
      revision: 'main',
      engine: 'vllm',
      gpuIndices: [2, 3],
      busy: false,
    };
    const withEngines = (warmEngines: (typeof llama)[]) => ({
      ...toProtoInventory(anInventory(4)),
      warmEngines,
    });

    it('keeps the warm engines current, calling the store only when they change', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      const beat = (inventory: ReturnType<typeof withEngines> | undefined) =>
        callHandler(
          parts.service.heartbeat,
          { nodeId, instanceId: 'instance-1', tasks: [], inventory },
          metadata,
        );
      await beat(withEngines([]));
      expect(parts.nodes.warmEngineCalls).toEqual([]);
      await beat(withEngines([llama]));
      expect(parts.nodes.node(nodeId).inventory.warmEngines).toEqual([llama]);
      await beat(withEngines([llama]));
      await beat(undefined); // reports nothing: nothing changes
      expect(parts.nodes.warmEngineCalls).toEqual([nodeId]);
      await beat(withEngines([{ ...llama, busy: true }]));
      expect(parts.nodes.node(nodeId).inventory.warmEngines).toEqual([{ ...llama, busy: true }]);
      await beat(withEngines([]));
      expect(parts.nodes.node(nodeId).inventory.warmEngines).toEqual([]);
      expect(parts.nodes.warmEngineCalls).toEqual([nodeId, nodeId, nodeId]);
    });

    it('ignores and logs warm engines that fail validation; the beat still counts', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      parts.clock.advance(2_000);
      const response = await callHandler(
        parts.service.heartbeat,
        {
          nodeId,
          instanceId: 'instance-1',
          tasks: [],
          inventory: withEngines([{ ...llama, gpuIndices: [3, 7] }]),
        },
        metadata,
      );
      expect(response.stopTasks).toEqual([]);
      expect(parts.liveness.last.get(nodeId)).toBe(parts.clock.now());
      expect(parts.nodes.warmEngineCalls).toEqual([]);
      expect(parts.log.withMessage('ignored the warm engines of a heartbeat')).toMatchObject([
        {
          node: 'gpu-1.rack-a',
          why: 'inventory.warm_engines[0].gpu_indices: names GPU 7, which the node does not have',
        },
      ]);
    });

    it("rejects a bad token, an old token, and another node's id", async () => {
      const parts = setUp();
      const first = await registered(parts);
      const other = await registered(parts, { nodeName: 'gpu-2', agentAddress: '10.0.0.8:7070' });
      const request = { nodeId: first.nodeId, instanceId: 'instance-1', tasks: [] };
      const bad = await failureOf(callHandler(parts.service.heartbeat, request, parts.bootstrap));
      expect(bad).toBeInstanceOf(UnauthenticatedError);
      const wrongNode = await failureOf(
        callHandler(parts.service.heartbeat, request, other.metadata),
      );
      expect(wrongNode).toBeInstanceOf(PermissionDeniedError);
      await registered(parts); // a new token replaces the old one
      const old = await failureOf(callHandler(parts.service.heartbeat, request, first.metadata));
      expect(old).toBeInstanceOf(UnauthenticatedError);
    });
  });

  describe('ReportTaskEvents', () => {
    const event = (
      jobId: string,
      attempt: number,
      sequence: number,
      payload: TaskEvent['payload'],
    ): TaskEvent => ({
      task: { taskId: jobId, jobId, attempt, rank: 0 },
      sequence,
      payload,
    });
    const started: TaskEvent['payload'] = {
      $case: 'started',
      started: { backend: 'process', pid: 1 },
    };

    it('applies reports of current attempts and rejects and logs those of stale ones', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_a', { state: 'scheduled', attempt: 2 }),
        anAttempt('job_a', 1, nodeId, { state: 'lost' }),
        anAttempt('job_a', 2, nodeId),
      );
      const wakeUps = parts.signals.schedulerWakeUps;
      const { acks } = await callHandler(
        parts.service.reportTaskEvents,
        {
          nodeId,
          events: [
            event('job_a', 2, 1, started),
            event('job_a', 1, 5, {
              $case: 'log',
              log: { stream: LogStream.LOG_STREAM_STDOUT, lines: ['late'], rank: 0 },
            }),
          ],
        },
        metadata,
      );
      expect(acks).toEqual([
        {
          task: { taskId: 'job_a', jobId: 'job_a', attempt: 2, rank: 0 },
          sequence: 1,
          accepted: true,
          message: '',
        },
        {
          task: { taskId: 'job_a', jobId: 'job_a', attempt: 1, rank: 0 },
          sequence: 5,
          accepted: false,
          message: 'attempt 1 of job job_a is stale: the current attempt is 2',
        },
      ]);
      expect(parts.jobs.job('job_a').state).toBe('running');
      expect(parts.log.withMessage('rejected a task report from a stale attempt')).toMatchObject([
        {
          level: 'warn',
          node: 'gpu-1.rack-a',
          jobId: 'job_a',
          attempt: 1,
          sequence: 5,
          type: 'log',
        },
      ]);
      const counts = (await parts.metrics.taskEvents.get()).values.map((v) => [
        v.labels.outcome,
        v.value,
      ]);
      expect(counts).toEqual(
        expect.arrayContaining([
          ['accepted', 1],
          ['rejected', 1],
        ]),
      );
      expect(parts.signals.jobsChanged).toContain('job_a');
      expect(parts.signals.schedulerWakeUps).toBe(wakeUps);
    });

    it('wakes the scheduler when a task ends, since its GPUs are free', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_a', { state: 'running', attempt: 1 }),
        anAttempt('job_a', 1, nodeId, { state: 'running', lastAgentSequence: 1 }),
      );
      const wakeUps = parts.signals.schedulerWakeUps;
      await callHandler(
        parts.service.reportTaskEvents,
        {
          nodeId,
          events: [
            event('job_a', 1, 2, {
              $case: 'exited',
              exited: { exitCode: 0, signal: '', reason: '', message: '' },
            }),
          ],
        },
        metadata,
      );
      expect(parts.jobs.job('job_a').state).toBe('succeeded');
      expect(parts.signals.schedulerWakeUps).toBe(wakeUps + 1);
    });

    it('names the event field that is wrong and applies nothing', async () => {
      const parts = setUp();
      const { nodeId, metadata } = await registered(parts);
      parts.jobs.add(
        aPendingJob('job_a', { state: 'scheduled', attempt: 1 }),
        anAttempt('job_a', 1, nodeId),
      );
      const error = await failureOf(
        callHandler(
          parts.service.reportTaskEvents,
          { nodeId, events: [event('job_a', 1, 1, started), event('job_a', 1, 0, started)] },
          metadata,
        ),
      );
      expect((error as ValidationError).violations).toEqual([
        { field: 'events[1].sequence', message: 'must be at least 1' },
      ]);
      expect(parts.jobs.job('job_a').state).toBe('scheduled');
    });
  });
});
