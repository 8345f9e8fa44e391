import { isAttemptActive, isTerminal } from '../job-state';
import { Reason } from '../reasons';
import type { AttemptRecord, JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';
import { afterRankEnded } from './gang';

export type AbandonCause = typeof Reason.NodeLost | typeof Reason.DispatchFailed;

/**
 * The task can no longer finish (its node was lost, or its dispatch failed for good). The job
 * goes back to pending for another attempt, or fails after `maxAttempts`; a job being cancelled
 * ends cancelled. For a rank of a multi-node job (`siblings` are the attempt's other ranks), the
 * other ranks are told to stop and the job moves once the last of them has ended.
 */
export function abandonAttempt(
  job: JobRecord,
  attempt: AttemptRecord,
  cause: AbandonCause,
  detail: string,
  maxAttempts: number,
  now: number,
  siblings: readonly AttemptRecord[] = [],
): Change {
  if (attempt.number !== job.attempt || !isAttemptActive(attempt.state) || isTerminal(job.state)) {
    return NO_CHANGE;
  }
  const attemptPatch = {
    state: cause === Reason.NodeLost ? ('lost' as const) : ('failed' as const),
    endedAt: now,
    message: detail,
    endReason: cause,
  };
  if (siblings.length > 0)
    return afterRankEnded(job, { ...attempt, ...attemptPatch }, attemptPatch, siblings, now, {
      maxAttempts,
    });
  if (job.state === 'cancelling') {
    return {
      ...move(job, 'cancelled', attempt.number, Reason.Cancelled, `cancelled; ${detail}`, {
        endedAt: now,
      }),
      attempt: attemptPatch,
    };
  }
  if (attempt.number >= maxAttempts) {
    return {
      ...move(
        job,
        'failed',
        attempt.number,
        Reason.TooManyAttempts,
        `${detail}; gave up after ${attempt.number} attempts`,
        { endedAt: now },
      ),
      attempt: attemptPatch,
    };
  }
  return {
    ...move(
      job,
      'pending',
      attempt.number,
      Reason.Requeued,
      `${detail}; waiting for attempt ${attempt.number + 1}`,
      { progress: 0 },
    ),
    attempt: attemptPatch,
  };
}
