/**
 * Multi-node (gang) jobs: an attempt is one task per node (rank), started together or not at
 * all. The rules, pure:
 * - the job runs once every rank has started;
 * - when a rank ends badly (fails, its node is lost, its dispatch fails, its agent shuts down),
 *   every other rank still active is told to stop (stop reason GangStopped): all or nothing;
 * - a rank's GPUs stay held until that rank has ended, and the job settles when its last rank
 *   has: on the first bad end that was not itself a consequence of the gang stopping (its
 *   cause), else succeeded.
 */
import { isAttemptActive, type JobState } from '../job-state';
import { Reason } from '../reasons';
import type { AttemptRecord, JobRecord } from '../records';
import { move, type AttemptPatch, type Change, type RankPatch } from './change';

export interface GangContext {
  /** The other ranks of the attempt (empty for a single-node job). */
  readonly siblings?: readonly AttemptRecord[];
  /** Attempts a job gets: a gang whose cause was a lost node or failed dispatch settles against it. */
  readonly maxAttempts?: number;
}

/** Whether a rank that just started completes the gang: every rank started, none told to stop. */
export function gangStarted(rank: AttemptRecord, siblings: readonly AttemptRecord[]): boolean {
  return (
    rank.stopReason !== 'GangStopped' &&
    siblings.every((s) => s.startedAt !== null && s.stopReason !== 'GangStopped')
  );
}

/**
 * A rank ended (`ended` is its record with `patch` applied). While other ranks are active, a bad
 * end stops them; after the last rank, the job settles.
 */
export function afterRankEnded(
  job: JobRecord,
  ended: AttemptRecord,
  patch: AttemptPatch,
  siblings: readonly AttemptRecord[],
  now: number,
  gang: GangContext,
): Change {
  const active = siblings.filter((s) => isAttemptActive(s.state));
  if (active.length === 0) return settle(job, [ended, ...siblings], patch, now, gang.maxAttempts);
  const consequence = ended.stopReason !== '' || job.state === 'cancelling';
  if (ended.endReason === Reason.Completed || consequence)
    return { job: {}, attempt: patch, events: [] };
  const ranks: RankPatch[] = active
    .filter((s) => s.stopReason === '')
    .map((s) => ({ rank: s.rank, patch: { stopReason: 'GangStopped' } }));
  const message = `rank ${ended.rank} ${describe(ended)}; stopping the other ${active.length} rank(s)`;
  return {
    job: { message },
    attempt: patch,
    ranks,
    events: [{ type: 'notice', attempt: ended.number, reason: Reason.GangStopped, message }],
  };
}

function describe(rank: AttemptRecord): string {
  return `ended ${rank.endReason}: ${rank.message}`;
}

/** The rank whose end decides a gang's outcome: the first bad end not caused by the gang stopping. */
export function gangCause(ranks: readonly AttemptRecord[]): AttemptRecord | undefined {
  return ranks
    .filter((r) => r.endReason !== Reason.Completed && r.stopReason !== 'GangStopped')
    .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0) || a.rank - b.rank)[0];
}

/** Every rank has ended: the job moves as its cause says (or succeeds). */
function settle(
  job: JobRecord,
  ranks: readonly AttemptRecord[],
  patch: AttemptPatch,
  now: number,
  maxAttempts = Number.POSITIVE_INFINITY,
): Change {
  const number = ranks[0]!.number;
  const to = (
    state: JobState,
    reason: string,
    message: string,
    extra: Partial<JobRecord> = {},
    exitCode?: number | null,
  ): Change => ({
    ...move(job, state, number, reason, message, extra, exitCode),
    attempt: patch,
  });
  const ended = { endedAt: now };
  if (job.state === 'cancelling')
    return to('cancelled', Reason.Cancelled, 'stopped on request', ended);
  if (ranks.some((r) => r.stopReason === 'Preempted' || r.endReason === Reason.Preempted))
    return to('pending', Reason.Preempted, `${job.message || 'preempted'}; waiting to run again`, {
      preemptions: job.preemptions + 1,
    });
  const cause = gangCause(ranks);
  if (!cause)
    return to(
      'succeeded',
      Reason.Completed,
      'every rank exited with code 0',
      {
        ...ended,
        exitCode: 0,
      },
      0,
    );
  const why = `rank ${cause.rank} ${describe(cause)}`;
  switch (cause.endReason) {
    case Reason.NodeLost:
    case Reason.DispatchFailed:
      if (number >= maxAttempts)
        return to(
          'failed',
          Reason.TooManyAttempts,
          `${why}; gave up after ${number} attempts`,
          ended,
        );
      return to('pending', Reason.Requeued, `${why}; waiting for attempt ${number + 1}`, {
        progress: 0,
      });
    case Reason.AgentShutdown:
      return to('pending', Reason.Requeued, `${why}; waiting for attempt ${number + 1}`, {
        progress: 0,
      });
    case Reason.Cancelled:
      return to('cancelled', Reason.Cancelled, why, ended);
    default:
      return to(
        'failed',
        cause.endReason,
        why,
        { ...ended, exitCode: cause.exitCode },
        cause.exitCode,
      );
  }
}
