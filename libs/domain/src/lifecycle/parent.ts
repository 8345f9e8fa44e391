/**
 * The life of a parent job (`inference_batch`, `rl_synthetic`; ADR 9), which holds no GPUs and
 * has no attempts: the workload controller starts it when its shards exist and ends it when
 * they have ended. Cancelling one is `cancel` (a running parent goes to cancelling and the
 * controller ends it once its shards have stopped).
 */
import { FailedPreconditionError } from '../errors';
import { isTerminal, type JobState } from '../job-state';
import type { JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';

/** pending -> running: its input is valid and its shards were created. */
export function startParent(job: JobRecord, message: string, now: number): Change {
  if (job.state !== 'pending') return NO_CHANGE;
  return move(job, 'running', 0, '', message, { startedAt: now });
}

/** How a parent ends. */
export type ParentEnd = Extract<JobState, 'succeeded' | 'failed' | 'cancelled'>;

/**
 * Ends a parent: succeeded (Completed), failed (InvalidInput, Expired, ShardsFailed) or
 * cancelled (from cancelling, after its owner cancelled it). An ended parent stays as it is.
 */
export function endParent(
  job: JobRecord,
  to: ParentEnd,
  reason: string,
  message: string,
  now: number,
): Change {
  if (isTerminal(job.state)) return NO_CHANGE;
  if (job.state === 'cancelling' && to !== 'cancelled')
    throw new FailedPreconditionError(
      `job ${job.id} is being cancelled; it can only end cancelled`,
    );
  const exitCode = to === 'succeeded' ? 0 : null;
  return move(job, to, 0, reason, message, { endedAt: now, exitCode }, exitCode);
}
