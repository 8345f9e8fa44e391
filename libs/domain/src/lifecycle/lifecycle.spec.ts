import { FailedPreconditionError, StaleAttemptError } from '../errors';
import { parseJobSpec } from '../job-spec';
import {
  abandonAttempt,
  applyTaskReport,
  cancel,
  place,
  type Change,
  type TaskReport,
} from './index';
import type { AttemptRecord, JobRecord } from '../records';
import { aJobRecord, anAttemptRecord } from '../testing/records';

const spec = parseJobSpec({ command: { argv: ['train'] }, resources: { gpus: 2 } });

function aJob(overrides: Partial<JobRecord> = {}): JobRecord {
  return aJobRecord({ spec, submittedAt: 1000, ...overrides });
}

function anAttempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return anAttemptRecord({ gpuIndices: [0, 1], createdAt: 2000, ...overrides });
}

/** Applies a change's patches, as the store does. */
function applied(
  job: JobRecord,
  attempt: AttemptRecord,
  change: Change,
): [JobRecord, AttemptRecord] {
  return [
    { ...job, ...change.job },
    { ...attempt, ...change.attempt },
  ];
}

const exited = (
  exitCode: number,
  extra: Partial<Extract<TaskReport, { type: 'exited' }>> = {},
): TaskReport => ({
  type: 'exited',
  exitCode,
  signal: '',
  reason: '',
  message: '',
  ...extra,
});

describe('place', () => {
  it('starts the next attempt on the chosen node and records the move', () => {
    const change = place(
      aJob({ attempt: 1, state: 'pending' }),
      { allocations: [{ nodeId: 'node_b', nodeName: 'b', gpuIndices: [3, 4] }] },
      5000,
    );
    expect(change.job).toMatchObject({
      state: 'scheduled',
      attempt: 2,
      message: 'placed on b GPUs 3,4',
    });
    expect(change.newAttempts).toEqual([
      expect.objectContaining({
        number: 2,
        rank: 0,
        nodeId: 'node_b',
        gpuIndices: [3, 4],
        state: 'dispatching',
        createdAt: 5000,
      }),
    ]);
    expect(change.events).toEqual([
      expect.objectContaining({
        type: 'state_change',
        attempt: 2,
        from: 'pending',
        to: 'scheduled',
      }),
    ]);
  });

  it('refuses a job that is not pending', () => {
    expect(() =>
      place(
        aJob({ state: 'running' }),
        { allocations: [{ nodeId: 'n', nodeName: 'n', gpuIndices: [] }] },
        0,
      ),
    ).toThrow(FailedPreconditionError);
  });
});

describe('cancel', () => {
  it('ends a pending job at once', () => {
    const change = cancel(aJob(), 'not needed', 7000);
    expect(change.job).toMatchObject({
      state: 'cancelled',
      reason: 'Cancelled',
      endedAt: 7000,
      message: 'cancelled: not needed',
    });
  });

  it.each(['scheduled', 'running'] as const)('moves a %s job to cancelling', (state) => {
    const change = cancel(aJob({ state, attempt: 1 }), '', 7000);
    expect(change.job).toMatchObject({ state: 'cancelling', reason: 'Cancelled' });
    expect(change.job.endedAt).toBeUndefined();
  });

  it.each(['cancelling', 'succeeded', 'failed', 'cancelled'] as const)(
    'leaves a %s job as it is',
    (state) => {
      expect(cancel(aJob({ state }), '', 0)).toEqual({ job: {}, events: [] });
    },
  );
});

describe('applyTaskReport', () => {
  const job = aJob({ state: 'scheduled', attempt: 1 });
  const attempt = anAttempt();

  it('walks a task from started through progress and logs to success', () => {
    let [j, a] = applied(
      job,
      attempt,
      applyTaskReport(job, attempt, 'node_a', 1, { type: 'started', backend: 'process' }, 3000),
    );
    expect([j.state, a.state, j.startedAt, a.lastAgentSequence]).toEqual([
      'running',
      'running',
      3000,
      1,
    ]);

    const progress = applyTaskReport(
      j,
      a,
      'node_a',
      2,
      { type: 'progress', fraction: 0.5, message: 'half' },
      3100,
    );
    [j, a] = applied(j, a, progress);
    expect(j.progress).toBe(0.5);
    expect(progress.events).toEqual([
      { type: 'progress', attempt: 1, fraction: 0.5, message: 'half' },
    ]);

    const log = applyTaskReport(
      j,
      a,
      'node_a',
      3,
      { type: 'log', stream: 'stderr', lines: ['warn'] },
      3200,
    );
    [j, a] = applied(j, a, log);
    expect(log.events).toEqual([{ type: 'log', attempt: 1, stream: 'stderr', lines: ['warn'] }]);

    [j, a] = applied(j, a, applyTaskReport(j, a, 'node_a', 4, exited(0), 4000));
    expect([j.state, j.reason, j.exitCode, j.endedAt, a.state]).toEqual([
      'succeeded',
      'Completed',
      0,
      4000,
      'succeeded',
    ]);
  });

  it.each([
    [exited(3), 'failed', 'NonZeroExit', 'exited with code 3'],
    [exited(-1, { signal: 'SIGKILL' }), 'failed', 'Signaled', 'killed by SIGKILL'],
    [
      exited(-1, {
        signal: 'SIGTERM',
        reason: 'TimeLimit',
        message: 'ran past its 60s time limit',
      }),
      'failed',
      'TimeLimit',
      'ran past its 60s time limit',
    ],
    [
      exited(127, { reason: 'StartFailed', message: 'no such program: trian' }),
      'failed',
      'StartFailed',
      'no such program: trian',
    ],
    [
      exited(-1, { signal: 'SIGTERM', reason: 'Cancelled' }),
      'cancelled',
      'Cancelled',
      'stopped on request',
    ],
  ])('ends the job from %j as %s/%s', (report, state, reason, message) => {
    const change = applyTaskReport(
      aJob({ state: 'running', attempt: 1 }),
      anAttempt({ state: 'running' }),
      'node_a',
      9,
      report,
      5000,
    );
    expect(change.job).toMatchObject({ state, reason, message });
  });

  it('ends a cancelling job cancelled whatever the exit', () => {
    const change = applyTaskReport(
      aJob({ state: 'cancelling', attempt: 1 }),
      anAttempt({ state: 'running' }),
      'node_a',
      2,
      exited(0),
      5000,
    );
    expect(change.job).toMatchObject({ state: 'cancelled', reason: 'Cancelled' });
    expect(change.attempt).toMatchObject({ state: 'cancelled' });
  });

  it('requeues the job when the agent stopped it because the agent shut down', () => {
    const change = applyTaskReport(
      aJob({ state: 'running', attempt: 1 }),
      anAttempt({ state: 'running' }),
      'node_a',
      2,
      exited(-1, {
        signal: 'SIGTERM',
        reason: 'AgentShutdown',
        message: 'the agent on a is shutting down',
      }),
      5000,
    );
    expect(change.job).toMatchObject({
      state: 'pending',
      reason: 'Requeued',
      message: 'the agent on a is shutting down; waiting for attempt 2',
    });
    expect(change.attempt).toMatchObject({ state: 'lost', endedAt: 5000 });
  });

  it('runs the job again when its inference engine failed, until its attempts are used up', () => {
    const report = exited(1, { reason: 'EngineFailed', message: 'engine died: CUDA error' });
    const again = applyTaskReport(
      aJob({ state: 'running', attempt: 1 }),
      anAttempt({ state: 'running' }),
      'node_a',
      2,
      report,
      5000,
      { maxAttempts: 2 },
    );
    expect(again.job).toMatchObject({
      state: 'pending',
      reason: 'Requeued',
      message: 'engine died: CUDA error; waiting for attempt 2',
    });
    expect(again.attempt).toMatchObject({ state: 'lost', endReason: 'EngineFailed' });
    const last = applyTaskReport(
      aJob({ state: 'running', attempt: 2 }),
      anAttempt({ number: 2, state: 'running' }),
      'node_a',
      2,
      report,
      5000,
      { maxAttempts: 2 },
    );
    expect(last.job).toMatchObject({
      state: 'failed',
      reason: 'EngineFailed',
      message: 'engine died: CUDA error (attempt 2 of 2)',
    });
  });

  it('accepts a repeated sequence without effect', () => {
    const seen = anAttempt({ state: 'running', lastAgentSequence: 5 });
    expect(
      applyTaskReport(aJob({ state: 'running', attempt: 1 }), seen, 'node_a', 5, exited(0), 0),
    ).toEqual({ job: {}, events: [] });
  });

  it.each([
    [
      'an older attempt',
      aJob({ state: 'running', attempt: 2 }),
      anAttempt(),
      'node_a',
      'is stale: the current attempt is 2',
    ],
    ['another node', job, anAttempt(), 'node_b', 'runs on another node'],
    [
      'an attempt that ended',
      aJob({ state: 'pending', attempt: 1 }),
      anAttempt({ state: 'lost' }),
      'node_a',
      'already ended (lost)',
    ],
    ['no attempt at all', job, undefined, 'node_a', 'is stale'],
  ])('rejects a report from %s', (_name, j, a, node, message) => {
    expect(() =>
      applyTaskReport(j, a, node, 1, { type: 'started', backend: 'process' }, 0),
    ).toThrow(StaleAttemptError);
    expect(() =>
      applyTaskReport(j, a, node, 1, { type: 'started', backend: 'process' }, 0),
    ).toThrow(message);
  });
});

describe('abandonAttempt', () => {
  const running = aJob({ state: 'running', attempt: 1 });
  const attempt = anAttempt({ state: 'running' });

  it('sends the job back to pending for another attempt, keeping the history', () => {
    const change = abandonAttempt(running, attempt, 'NodeLost', 'node a lost', 3, 9000);
    expect(change.job).toMatchObject({
      state: 'pending',
      reason: 'Requeued',
      message: 'node a lost; waiting for attempt 2',
      progress: 0,
    });
    expect(change.attempt).toMatchObject({ state: 'lost', endedAt: 9000, message: 'node a lost' });
    expect(change.events).toEqual([
      expect.objectContaining({ from: 'running', to: 'pending', attempt: 1 }),
    ]);
  });

  it('marks a failed dispatch as failed rather than lost', () => {
    expect(
      abandonAttempt(running, attempt, 'DispatchFailed', 'unreachable', 3, 0).attempt,
    ).toMatchObject({ state: 'failed' });
  });

  it('fails the job after its last attempt', () => {
    const change = abandonAttempt(
      aJob({ state: 'running', attempt: 3 }),
      anAttempt({ number: 3, state: 'running' }),
      'NodeLost',
      'node a lost',
      3,
      0,
    );
    expect(change.job).toMatchObject({
      state: 'failed',
      reason: 'TooManyAttempts',
      message: 'node a lost; gave up after 3 attempts',
    });
  });

  it('ends a job being cancelled as cancelled', () => {
    const change = abandonAttempt(
      aJob({ state: 'cancelling', attempt: 1 }),
      attempt,
      'NodeLost',
      'node a lost',
      3,
      0,
    );
    expect(change.job).toMatchObject({ state: 'cancelled', reason: 'Cancelled' });
  });

  it('does nothing for a stale or ended attempt', () => {
    expect(
      abandonAttempt(aJob({ state: 'running', attempt: 2 }), attempt, 'NodeLost', '', 3, 0),
    ).toEqual({ job: {}, events: [] });
    expect(
      abandonAttempt(running, anAttempt({ state: 'succeeded' }), 'NodeLost', '', 3, 0),
    ).toEqual({ job: {}, events: [] });
    expect(
      abandonAttempt(aJob({ state: 'succeeded', attempt: 1 }), attempt, 'NodeLost', '', 3, 0),
    ).toEqual({ job: {}, events: [] });
  });
});
