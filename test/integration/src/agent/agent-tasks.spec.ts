import {
  FailedPreconditionError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '@gantry/domain';
import { LogStream, TaskPhase, type TaskEvent } from '@gantry/proto';
import { AgentFixture } from './agent-fixture';
import { eventually, isAlive } from '@gantry/testing';
import { commandSpec, simulatedSpec } from './node-agent-client';

const task = (taskId: string, attempt = 1) => ({ taskId, jobId: taskId, attempt, rank: 0 });
const lines = (events: TaskEvent[], stream: LogStream) =>
  events.flatMap((e) =>
    e.payload?.$case === 'log' && e.payload.log.stream === stream ? e.payload.log.lines : [],
  );

describe('node agent: tasks', () => {
  let fx: AgentFixture;
  beforeAll(() => AgentFixture.build());
  afterAll(() => AgentFixture.clean());
  beforeEach(async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
  });
  afterEach(async () => fx.destroy());

  it('runs a real command and reports started, logs, progress and exited in order', async () => {
    const script =
      'echo "gpus=$CUDA_VISIBLE_DEVICES task=$GANTRY_TASK_ID"; echo oops >&2; echo "GANTRY_PROGRESS 0.5 half"; echo after; exit 3';
    const response = await fx.rpc.runTask({
      task: task('job_run'),
      spec: commandSpec(['sh', '-c', script], 2),
      gpuIndices: [1, 2],
    });
    expect(response.created).toBe(true);
    expect(response.status?.gpuIndices).toEqual([1, 2]);
    const events = await fx.exited('job_run');
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.payload).toEqual({
      $case: 'started',
      started: { backend: 'process', pid: expect.any(Number) as number },
    });
    expect(events.at(-1)!.payload).toEqual({
      $case: 'exited',
      exited: { exitCode: 3, signal: '', reason: '', message: 'exited with code 3' },
    });
    expect(lines(events, LogStream.LOG_STREAM_STDOUT)).toEqual(['gpus=1,2 task=job_run', 'after']);
    expect(lines(events, LogStream.LOG_STREAM_STDERR)).toEqual(['oops']);
    const types = events.map((e) => e.payload!.$case);
    expect(types.filter((t) => t === 'progress')).toHaveLength(1);
    expect(events.find((e) => e.payload?.$case === 'progress')!.payload).toEqual({
      $case: 'progress',
      progress: { fraction: 0.5, message: 'half' },
    });
    expect(events.every((e) => e.time instanceof Date)).toBe(true);
  });

  it('is idempotent by (task, attempt) and refuses older attempts and bad requests', async () => {
    const spec = commandSpec(['sleep', '100'], 1);
    const first = await fx.rpc.runTask({ task: task('job_idem', 2), spec, gpuIndices: [0] });
    const again = await fx.rpc.runTask({ task: task('job_idem', 2), spec, gpuIndices: [0] });
    expect([first.created, again.created]).toEqual([true, false]);
    await expect(
      fx.rpc.runTask({ task: task('job_idem', 1), spec, gpuIndices: [0] }),
    ).rejects.toThrow(FailedPreconditionError);
    await expect(
      fx.rpc.runTask({ task: task('job_x'), spec: undefined, gpuIndices: [] }),
    ).rejects.toThrow('spec: is required');
    await expect(fx.rpc.runTask({ task: task('job_x'), spec, gpuIndices: [7] })).rejects.toThrow(
      ValidationError,
    );
    await expect(fx.rpc.runTask({ task: task('job_x'), spec, gpuIndices: [7] })).rejects.toThrow(
      'gpu_indices[0]: GPU 7 is not on this node (it has GPUs 0, 1, 2, 3)',
    );
    await expect(
      fx.rpc.runTask({ task: task('job_x'), spec, gpuIndices: [1] }, 'wrong-token'),
    ).rejects.toThrow(UnauthenticatedError);
    const started = await eventually('started', () => fx.gateway.delivered('job_idem', 2)[0]);
    expect(started.payload?.$case).toBe('started');
    expect(fx.gateway.received.filter((e) => e.payload?.$case === 'started')).toHaveLength(1);
  });

  it('CancelTask kills the whole process tree', async () => {
    const script = 'sleep 100 & echo "pid $!"; echo "pid $$"; wait';
    await fx.rpc.runTask({
      task: task('job_cancel'),
      spec: commandSpec(['sh', '-c', script]),
      gpuIndices: [],
    });
    const pids = await eventually('both pids', () =>
      fx.printedPids('job_cancel').length === 2 ? fx.printedPids('job_cancel') : undefined,
    );
    expect(pids.every(isAlive)).toBe(true);
    const cancelled = await fx.rpc.cancelTask({
      task: task('job_cancel'),
      gracePeriod: { seconds: 1, nanos: 0 },
      reason: 'by owner',
    });
    expect(cancelled.status?.phase).toBe(TaskPhase.TASK_PHASE_STOPPING);
    const events = await fx.exited('job_cancel');
    expect(events.at(-1)!.payload).toMatchObject({
      exited: {
        exitCode: -1,
        signal: 'SIGTERM',
        reason: 'Cancelled',
        message: 'cancelled: by owner; killed by SIGTERM',
      },
    });
    await eventually('every process of the tree to die', () =>
      pids.some(isAlive) ? undefined : true,
    );
    await expect(fx.rpc.cancelTask({ task: task('job_unknown'), reason: '' })).rejects.toThrow(
      NotFoundError,
    );
  });

  it('stops a task whose events the control plane rejects', async () => {
    fx.gateway.rejectTasks.add('job_stale');
    await fx.rpc.runTask({
      task: task('job_stale'),
      spec: commandSpec(['sleep', '100']),
      gpuIndices: [],
    });
    const started = await eventually('the started event', () =>
      fx.gateway.received.find(
        (e) => e.task?.taskId === 'job_stale' && e.payload?.$case === 'started',
      ),
    );
    const pid = started.payload?.$case === 'started' ? started.payload.started.pid : 0;
    await fx.agent.waitForLog(
      'stopping the stale attempt',
      (l) => l.msg === 'control plane rejected the attempt; stopping it',
    );
    await eventually('the task process to die', () => (isAlive(pid) ? undefined : true));
    await eventually('the agent to forget the stale attempt', async () => {
      const described = await fx.rpc.describeNode();
      return described.tasks.some((t) => t.task?.taskId === 'job_stale') ? undefined : true;
    });
    expect(
      fx.gateway.received.filter(
        (e) => e.task?.taskId === 'job_stale' && e.payload?.$case === 'exited',
      ),
    ).toEqual([]);
  });

  it('runs simulated work, named as a simulation, with the exit code asked for', async () => {
    // 2 H100-seconds on 2 simulated H100s at speedup 10: 0.1 s
    await fx.rpc.runTask({
      task: task('job_sim'),
      spec: simulatedSpec(2, 2, 4, 99),
      gpuIndices: [2, 3],
    });
    const events = await fx.exited('job_sim');
    expect(events[0]!.payload).toEqual({
      $case: 'started',
      started: { backend: 'simulated', pid: 0 },
    });
    expect(lines(events, LogStream.LOG_STREAM_STDOUT)[0]).toMatch(
      /^\[simulated\] SIMULATED workload/,
    );
    expect(events.filter((e) => e.payload?.$case === 'progress')).toHaveLength(10);
    expect(events.at(-1)!.payload).toMatchObject({ exited: { exitCode: 4, reason: '' } });
  });
});
