import type { AttemptRecord, AttemptState } from '@gantry/domain';
import { attemptKey, decideStopOrders, type JobAttemptState } from './stop-orders';

function attempt(
  jobId: string,
  number: number,
  nodeId: string,
  state: AttemptState,
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    jobId,
    number,
    rank: 0,
    nodeId,
    gpuIndices: [0],
    state,
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
    stopReason: '',
    endReason: '',
    ...extra,
  };
}

describe('decideStopOrders', () => {
  const jobs = new Map<string, JobAttemptState>([
    ['current', { state: 'running', attempt: 1 }],
    ['requeued', { state: 'running', attempt: 2 }],
    ['ended', { state: 'succeeded', attempt: 1 }],
    ['cancelling', { state: 'cancelling', attempt: 1 }],
    ['moved', { state: 'running', attempt: 1 }],
    ['gang', { state: 'running', attempt: 1 }],
  ]);
  const attempts = new Map<string, AttemptRecord>(
    [
      attempt('current', 1, 'n1', 'running'),
      attempt('requeued', 1, 'n1', 'lost'),
      attempt('requeued', 2, 'n2', 'running'),
      attempt('ended', 1, 'n1', 'succeeded'),
      attempt('cancelling', 1, 'n1', 'running'),
      attempt('moved', 1, 'n2', 'dispatching'),
      attempt('gang', 1, 'n1', 'running', { rank: 2, stopReason: 'GangStopped' }),
    ].map((a) => [attemptKey(a.jobId, a.number), a]),
  );

  it.each([
    ['the current active attempt', 'current', 1, false],
    ['an attempt that is no longer current', 'requeued', 1, true],
    ['an attempt that already ended', 'ended', 1, true],
    ['an attempt of a job being cancelled', 'cancelling', 1, true],
    ['an attempt placed on another node', 'moved', 1, true],
    ['an attempt of an unknown job', 'unknown', 1, true],
    ['an attempt number never created', 'current', 7, true],
  ])('%s: stop=%s', (_what, jobId, number, stop) => {
    const orders = decideStopOrders('n1', [{ jobId, attempt: number }], jobs, attempts);
    expect(orders).toEqual(stop ? [{ jobId, attempt: number, rank: 0, nodeId: 'n1' }] : []);
  });

  it('stops a rank of a multi-node job told to stop because another rank failed', () => {
    const orders = decideStopOrders('n1', [{ jobId: 'gang', attempt: 1 }], jobs, attempts);
    expect(orders).toEqual([{ jobId: 'gang', attempt: 1, rank: 2, nodeId: 'n1' }]);
  });

  it('orders each attempt once even when listed twice', () => {
    const running = [
      { jobId: 'ended', attempt: 1 },
      { jobId: 'ended', attempt: 1 },
    ];
    expect(decideStopOrders('n1', running, jobs, attempts)).toHaveLength(1);
  });
});
