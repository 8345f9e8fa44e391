import { parseJobSpec } from '../job-spec';
import type { AttemptRecord, JobRecord } from '../records';
import { aJobRecord } from '../testing/records';
import {
  abandonAttempt,
  applyTaskReport,
  cancel,
  place,
  requestPreemption,
  type Change,
  type TaskReport,
} from './index';

const spec = parseJobSpec({
  command: { argv: ['torchrun', 'train.py'] },
  resources: { gpus: 8, nodes: 2 },
});
const NODES = ['node_a', 'node_b'];

/** A 2-node job through its attempts, applying each change as the store does. */
class Gang {
  job: JobRecord = aJobRecord({ spec });
  ranks: AttemptRecord[] = [];
  private seq = [0, 0];
  changes: Change[] = [];

  constructor(attempt = 0) {
    this.job = { ...this.job, attempt };
    this.apply(
      place(
        this.job,
        { allocations: NODES.map((nodeId) => ({ nodeId, nodeName: nodeId, gpuIndices: [0, 1] })) },
        100,
      ),
      0,
    );
  }

  siblings(rank: number): AttemptRecord[] {
    return this.ranks.filter((r) => r.rank !== rank);
  }

  report(rank: number, report: TaskReport, now = 1000): Change {
    const change = applyTaskReport(
      this.job,
      this.ranks[rank],
      NODES[rank]!,
      ++this.seq[rank]!,
      report,
      now,
      { siblings: this.siblings(rank), maxAttempts: 3 },
    );
    return this.apply(change, rank);
  }

  abandon(rank: number, cause: 'NodeLost' | 'DispatchFailed', now = 1000): Change {
    const change = abandonAttempt(
      this.job,
      this.ranks[rank]!,
      cause,
      `${cause} detail`,
      3,
      now,
      this.siblings(rank),
    );
    return this.apply(change, rank);
  }

  apply(change: Change, rank: number): Change {
    this.changes.push(change);
    this.job = { ...this.job, ...change.job };
    if (change.newAttempts) this.ranks = [...change.newAttempts];
    if (change.attempt) this.ranks[rank] = { ...this.ranks[rank]!, ...change.attempt };
    for (const { rank: r, patch } of change.ranks ?? [])
      this.ranks[r] = { ...this.ranks[r]!, ...patch };
    return change;
  }

  started(): this {
    this.report(0, { type: 'started', backend: 'process' });
    this.report(1, { type: 'started', backend: 'process' });
    return this;
  }
}

const exited = (
  exitCode: number,
  extra: { signal?: string; reason?: string } = {},
): TaskReport => ({
  type: 'exited',
  exitCode,
  signal: extra.signal ?? '',
  reason: extra.reason ?? '',
  message: '',
});

describe('a multi-node (gang) job', () => {
  it('is placed as one attempt with a task per node, ranked in allocation order', () => {
    const gang = new Gang();
    expect(gang.ranks.map((r) => [r.rank, r.nodeId, r.number, r.state])).toEqual([
      [0, 'node_a', 1, 'dispatching'],
      [1, 'node_b', 1, 'dispatching'],
    ]);
    expect(gang.job.message).toBe('placed on 2 nodes: node_a GPUs 0,1; node_b GPUs 0,1');
  });

  it('runs only once every rank has started', () => {
    const gang = new Gang();
    gang.report(1, { type: 'started', backend: 'process' });
    expect(gang.job.state).toBe('scheduled');
    gang.report(0, { type: 'started', backend: 'process' });
    expect(gang.job).toMatchObject({
      state: 'running',
      message: 'running on process backend on 2 nodes',
    });
  });

  it("takes its progress from rank 0 and labels every rank's log lines", () => {
    const gang = new Gang().started();
    expect(gang.report(1, { type: 'progress', fraction: 0.9, message: '' }).events).toEqual([]);
    gang.report(0, { type: 'progress', fraction: 0.5, message: 'half' });
    expect(gang.job.progress).toBe(0.5);
    const log = gang.report(1, { type: 'log', stream: 'stdout', lines: ['loss 1.2'] });
    expect(log.events).toEqual([
      { type: 'log', attempt: 1, stream: 'stdout', lines: ['loss 1.2'], rank: 1 },
    ]);
  });

  it('succeeds when the last rank exits 0, holding nothing in between', () => {
    const gang = new Gang().started();
    const first = gang.report(0, exited(0));
    expect(first.job).toEqual({});
    expect(first.ranks).toBeUndefined();
    expect(gang.ranks[0]).toMatchObject({ state: 'succeeded', endReason: 'Completed' });
    gang.report(1, exited(0), 2000);
    expect(gang.job).toMatchObject({
      state: 'succeeded',
      reason: 'Completed',
      exitCode: 0,
      endedAt: 2000,
    });
  });

  it('stops the other ranks when one fails, and fails with that rank as the cause', () => {
    const gang = new Gang().started();
    const failed = gang.report(1, exited(3));
    expect(failed.ranks).toEqual([{ rank: 0, patch: { stopReason: 'GangStopped' } }]);
    expect(failed.events).toEqual([
      {
        type: 'notice',
        attempt: 1,
        reason: 'GangStopped',
        message: 'rank 1 ended NonZeroExit: exited with code 3; stopping the other 1 rank(s)',
      },
    ]);
    expect(gang.job.state).toBe('running');
    // Rank 0 dies of the SIGTERM it was sent: a consequence, not the cause.
    gang.report(0, exited(-1, { signal: 'SIGTERM' }), 3000);
    expect(gang.ranks[0]).toMatchObject({ state: 'cancelled', endReason: 'GangStopped' });
    expect(gang.job).toMatchObject({
      state: 'failed',
      reason: 'NonZeroExit',
      message: 'rank 1 ended NonZeroExit: exited with code 3',
      exitCode: 3,
      endedAt: 3000,
    });
  });

  it('fails even when a rank exited 0 before another failed', () => {
    const gang = new Gang().started();
    gang.report(0, exited(0));
    gang.report(1, exited(1, { reason: 'TimeLimit' }));
    expect(gang.job).toMatchObject({ state: 'failed', reason: 'TimeLimit' });
  });

  it('starts on no node when one rank cannot be dispatched: requeued as a new attempt', () => {
    const gang = new Gang();
    gang.report(0, { type: 'started', backend: 'process' });
    const abandoned = gang.abandon(1, 'DispatchFailed');
    expect(abandoned.ranks).toEqual([{ rank: 0, patch: { stopReason: 'GangStopped' } }]);
    expect(gang.job.state).toBe('scheduled');
    gang.report(0, exited(-1, { signal: 'SIGTERM' }));
    expect(gang.job).toMatchObject({
      state: 'pending',
      reason: 'Requeued',
      message: 'rank 1 ended DispatchFailed: DispatchFailed detail; waiting for attempt 2',
    });
  });

  it('never runs when a rank that was told to stop starts late', () => {
    const gang = new Gang();
    gang.abandon(1, 'DispatchFailed');
    gang.report(0, { type: 'started', backend: 'process' });
    expect(gang.job.state).toBe('scheduled');
  });

  it('fails after its last attempt when a node is lost', () => {
    const gang = new Gang(2).started();
    gang.abandon(0, 'NodeLost');
    expect(gang.ranks[1]!.stopReason).toBe('GangStopped');
    gang.abandon(1, 'DispatchFailed'); // its stop order found no task: a consequence
    expect(gang.job).toMatchObject({
      state: 'failed',
      reason: 'TooManyAttempts',
      message: 'rank 0 ended NodeLost: NodeLost detail; gave up after 3 attempts',
    });
  });

  it('is preempted as a whole and waits to run again once every rank has stopped', () => {
    const gang = new Gang().started();
    const preempted = gang.apply(
      requestPreemption(gang.job, gang.ranks[0]!, 'preempted for job_2', gang.siblings(0)),
      0,
    );
    expect(preempted.ranks).toEqual([{ rank: 1, patch: { stopReason: 'Preempted' } }]);
    expect(gang.report(0, exited(-1, { signal: 'SIGTERM' })).job).toEqual({});
    gang.report(1, exited(-1, { signal: 'SIGTERM' }));
    expect(gang.job).toMatchObject({
      state: 'pending',
      reason: 'Preempted',
      preemptions: 1,
      message: 'preempted for job_2; waiting to run again',
    });
  });

  it('ends cancelled when cancelled, after its last rank stopped', () => {
    const gang = new Gang().started();
    gang.apply(cancel(gang.job, '', 1000), 0);
    expect(
      gang.report(1, exited(-1, { signal: 'SIGTERM', reason: 'Cancelled' })).ranks,
    ).toBeUndefined();
    expect(gang.job.state).toBe('cancelling');
    gang.report(0, exited(-1, { signal: 'SIGTERM', reason: 'Cancelled' }));
    expect(gang.job).toMatchObject({ state: 'cancelled', reason: 'Cancelled' });
  });

  it('requeues when an agent shuts down under one rank', () => {
    const gang = new Gang().started();
    gang.report(0, exited(-1, { signal: 'SIGTERM', reason: 'AgentShutdown' }));
    expect(gang.ranks[1]!.stopReason).toBe('GangStopped');
    gang.report(1, exited(-1, { signal: 'SIGTERM' }));
    expect(gang.job).toMatchObject({ state: 'pending', reason: 'Requeued' });
  });
});
