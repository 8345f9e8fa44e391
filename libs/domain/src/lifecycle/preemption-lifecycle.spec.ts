import { FailedPreconditionError } from '../errors';
import { aJobRecord, anAttemptRecord } from '../testing/records';
import { applyTaskReport, place, recordCheckpoint, requestPreemption } from './index';
import type { AttemptRecord, JobRecord } from '../records';

const job = (overrides: Partial<JobRecord> = {}): JobRecord =>
  aJobRecord({
    state: 'running',
    reason: '',
    attempt: 1,
    progress: 0.4,
    startedAt: 10,
    ...overrides,
  });
const attempt = (overrides: Partial<AttemptRecord> = {}): AttemptRecord =>
  anAttemptRecord({
    nodeId: 'n',
    state: 'running',
    startedAt: 10,
    lastAgentSequence: 3,
    ...overrides,
  });
const exit = (reason = '') => ({
  type: 'exited' as const,
  exitCode: -1,
  signal: 'SIGTERM',
  reason,
  message: '',
});

describe('preemption in the job lifecycle', () => {
  it('gives the victim a notice and marks its attempt, without changing its state', () => {
    const change = requestPreemption(
      job(),
      attempt(),
      'preempted for job_2: a serving job needs its GPUs',
    );
    expect(change.job).toEqual({
      reason: 'Preempted',
      message: 'preempted for job_2: a serving job needs its GPUs',
    });
    expect(change.attempt).toEqual({ stopReason: 'Preempted' });
    expect(change.events).toEqual([
      {
        type: 'notice',
        attempt: 1,
        reason: 'Preempted',
        message: 'preempted for job_2: a serving job needs its GPUs',
      },
    ]);
  });

  it('leaves alone a job being cancelled, an attempt already stopping, or a stale attempt', () => {
    expect(requestPreemption(job({ state: 'cancelling' }), attempt(), 'm').events).toEqual([]);
    expect(requestPreemption(job(), attempt({ stopReason: 'Preempted' }), 'm').events).toEqual([]);
    expect(requestPreemption(job({ attempt: 2 }), attempt(), 'm').events).toEqual([]);
  });

  it.each([
    ['the preempted attempt exits on SIGTERM', attempt({ stopReason: 'Preempted' }), exit()],
    ['the agent reports the Preempted reason', attempt(), exit('Preempted')],
  ])('sends the job back to pending with its progress when %s', (_name, a, report) => {
    const victim = job({ message: 'preempted for job_2' });
    const change = applyTaskReport(victim, a, 'n', 4, report, 500);
    expect(change.job).toMatchObject({
      state: 'pending',
      reason: 'Preempted',
      message: 'preempted for job_2; waiting to run again',
      preemptions: 1,
    });
    expect(change.job.progress).toBeUndefined();
    expect(change.attempt).toMatchObject({ state: 'preempted', endedAt: 500 });
  });

  it('protects a job restarted after a preemption for its minimum runtime, and clears its nomination', () => {
    const again = place(
      job({ state: 'pending', preemptions: 1, nominatedNodeIds: ['n'] }),
      { allocations: [{ nodeId: 'n', nodeName: 'n', gpuIndices: [0] }] },
      1000,
      600,
    );
    expect(again.job).toMatchObject({ protectedUntil: 601_000, nominatedNodeIds: [] });
    const first = place(
      job({ state: 'pending' }),
      { allocations: [{ nodeId: 'n', nodeName: 'n', gpuIndices: [0] }] },
      1000,
      600,
    );
    expect(first.job.protectedUntil).toBe(0);
  });
});

describe('checkpoints', () => {
  it('records an agent-reported checkpoint', () => {
    const change = applyTaskReport(
      job(),
      attempt(),
      'n',
      4,
      { type: 'checkpoint', message: 'step 500' },
      2000,
    );
    expect(change.job).toEqual({ lastCheckpointAt: 2000 });
    expect(change.events).toEqual([{ type: 'checkpoint', attempt: 1, message: 'step 500' }]);
  });

  it('records an API checkpoint only for a running job', () => {
    expect(recordCheckpoint(job(), 'saved', 3000).job).toEqual({ lastCheckpointAt: 3000 });
    expect(() => recordCheckpoint(job({ state: 'pending' }), 'saved', 3000)).toThrow(
      FailedPreconditionError,
    );
  });
});
