import { LogStream, type TaskEvent } from '@gantry/proto';
import { eventually } from '@gantry/testing';
import { AgentFixture } from './agent-fixture';
import { commandSpec, simulatedSpec } from './node-agent-client';

const task = (taskId: string, attempt = 1) => ({ taskId, jobId: taskId, attempt, rank: 0 });
const checkpoints = (events: TaskEvent[]) =>
  events.flatMap((e) => (e.payload?.$case === 'checkpoint' ? [e.payload.checkpoint.message] : []));
const lines = (events: TaskEvent[], stream: LogStream) =>
  events.flatMap((e) =>
    e.payload?.$case === 'log' && e.payload.log.stream === stream ? e.payload.log.lines : [],
  );
const NOTICE = (grace: string) => `[gantry] preempted: stopping (grace ${grace})`;

describe('node agent: checkpoints and preemption', () => {
  let fx: AgentFixture;
  beforeAll(() => AgentFixture.build());
  afterAll(() => AgentFixture.clean());
  beforeEach(async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
  });
  afterEach(async () => fx.destroy());

  it('delivers a GANTRY_CHECKPOINT line as a checkpoint event; CancelTask(Preempted) ends the task as Preempted', async () => {
    // On SIGTERM the task saves once more and exits: what a preempted task should do.
    const script = [
      'trap \'echo "GANTRY_CHECKPOINT saved on SIGTERM"; exit 0\' TERM',
      'echo "GANTRY_CHECKPOINT step 100 saved"',
      'while :; do sleep 0.05; done',
    ].join('; ');
    await fx.rpc.runTask({
      task: task('job_preempt'),
      spec: commandSpec(['sh', '-c', script]),
      gpuIndices: [],
    });
    await eventually('the first checkpoint at the gateway', () =>
      checkpoints(fx.gateway.delivered('job_preempt', 1)).length === 1 ? true : undefined,
    );
    await fx.rpc.cancelTask({
      task: task('job_preempt'),
      gracePeriod: { seconds: 5, nanos: 0 },
      reason: 'Preempted',
    });
    const events = await fx.exited('job_preempt');
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(checkpoints(events)).toEqual(['step 100 saved', 'saved on SIGTERM']);
    expect(lines(events, LogStream.LOG_STREAM_STDOUT)).toEqual([
      'GANTRY_CHECKPOINT step 100 saved',
      'GANTRY_CHECKPOINT saved on SIGTERM',
    ]);
    expect(lines(events, LogStream.LOG_STREAM_STDERR)[0]).toBe(NOTICE('5s'));
    // the notice comes before what the task did about it
    const noticeAt = events.findIndex(
      (e) => e.payload?.$case === 'log' && e.payload.log.lines.includes(NOTICE('5s')),
    );
    const lastCheckpointAt = events.findLastIndex((e) => e.payload?.$case === 'checkpoint');
    expect(noticeAt).toBeGreaterThan(0);
    expect(noticeAt).toBeLessThan(lastCheckpointAt);
    expect(events.at(-1)!.payload).toEqual({
      $case: 'exited',
      exited: {
        exitCode: 0,
        signal: '',
        reason: 'Preempted',
        message: 'preempted; exited with code 0',
      },
    });
  });

  it('kills a preempted task that ignores SIGTERM after the grace period, still as Preempted', async () => {
    await fx.rpc.runTask({
      task: task('job_stubborn'),
      spec: commandSpec(['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done']),
      gpuIndices: [],
    });
    await eventually('the task to be ready', () =>
      lines(fx.gateway.delivered('job_stubborn', 1), LogStream.LOG_STREAM_STDOUT).includes('ready')
        ? true
        : undefined,
    );
    await fx.rpc.cancelTask({
      task: task('job_stubborn'),
      gracePeriod: { seconds: 0, nanos: 300_000_000 },
      reason: 'Preempted',
    });
    const events = await fx.exited('job_stubborn');
    expect(lines(events, LogStream.LOG_STREAM_STDERR)).toEqual([NOTICE('0.3s')]);
    expect(events.at(-1)!.payload).toMatchObject({
      exited: { signal: 'SIGKILL', reason: 'Preempted', message: 'preempted; killed by SIGKILL' },
    });
  });

  it('simulated work checkpoints at each quarter and can be preempted', async () => {
    // 2 H100-seconds on 2 simulated H100s at speedup 10: 0.1 s
    await fx.rpc.runTask({ task: task('job_sim'), spec: simulatedSpec(2, 2), gpuIndices: [0, 1] });
    expect(checkpoints(await fx.exited('job_sim'))).toEqual([
      '[simulated] checkpoint at 25%',
      '[simulated] checkpoint at 50%',
      '[simulated] checkpoint at 75%',
    ]);
    // 40 H100-seconds on one at speedup 10: 4 s, preempted after its first checkpoint (at 1 s);
    // no grace period in the request: the agent's (2 s) is in the notice
    await fx.rpc.runTask({
      task: task('job_sim_long'),
      spec: simulatedSpec(40, 1),
      gpuIndices: [2],
    });
    await eventually('the first simulated checkpoint', () =>
      checkpoints(fx.gateway.delivered('job_sim_long', 1)).length > 0 ? true : undefined,
    );
    await fx.rpc.cancelTask({ task: task('job_sim_long'), reason: 'Preempted' });
    const events = await fx.exited('job_sim_long');
    expect(lines(events, LogStream.LOG_STREAM_STDERR)).toEqual([NOTICE('2s')]);
    expect(events.at(-1)!.payload).toMatchObject({
      exited: { exitCode: -1, signal: 'SIGTERM', reason: 'Preempted' },
    });
  });
});
