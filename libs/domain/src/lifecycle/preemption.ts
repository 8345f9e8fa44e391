import { FailedPreconditionError } from '../errors';
import { isAttemptActive } from '../job-state';
import { Reason } from '../reasons';
import type { AttemptRecord, JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';

/**
 * The scheduler preempts the job's current attempt for another job: its watchers get a notice,
 * its agents will send SIGTERM (then SIGKILL after the grace period) to every rank, and the
 * (last) exit sends it back to pending with its progress kept. A job already being cancelled or
 * stopped is left alone.
 */
export function requestPreemption(
  job: JobRecord,
  attempt: AttemptRecord,
  message: string,
  siblings: readonly AttemptRecord[] = [],
): Change {
  if (
    attempt.number !== job.attempt ||
    !isAttemptActive(attempt.state) ||
    attempt.stopReason !== ''
  )
    return NO_CHANGE;
  if (job.state !== 'running' && job.state !== 'scheduled') return NO_CHANGE;
  const ranks = siblings
    .filter((s) => isAttemptActive(s.state) && s.stopReason === '')
    .map((s) => ({ rank: s.rank, patch: { stopReason: 'Preempted' as const } }));
  return {
    job: { reason: Reason.Preempted, message },
    attempt: { stopReason: 'Preempted' },
    ...(ranks.length > 0 ? { ranks } : {}),
    events: [{ type: 'notice', attempt: attempt.number, reason: Reason.Preempted, message }],
  };
}

/** A checkpoint reported through the API (agents report theirs as task events). */
export function recordCheckpoint(job: JobRecord, message: string, now: number): Change {
  if (job.state !== 'running') {
    throw new FailedPreconditionError(
      `job ${job.id} is ${job.state}; only a running job can record a checkpoint`,
    );
  }
  return {
    job: { lastCheckpointAt: now },
    events: [{ type: 'checkpoint', attempt: job.attempt, message }],
  };
}

/**
 * A job it depends on ended the wrong way (domain `dependencyVerdict` said never): the pending
 * job ends cancelled with reason DependencyNeverSatisfied. A job no longer pending is left alone
 * (the scheduler's verdict may be older than the job's last change).
 */
export function failDependency(job: JobRecord, message: string, now: number): Change {
  if (job.state !== 'pending') return NO_CHANGE;
  return move(job, 'cancelled', job.attempt, Reason.DependencyNeverSatisfied, message, {
    endedAt: now,
    nominatedNodeIds: [],
  });
}
