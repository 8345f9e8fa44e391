/**
 * The life of a parent job (`inference_batch`, `rl_synthetic`; ADR 9), which holds no GPUs and
 * has no attempts: it is running from its submit (the workload controller validates its input,
 * creates its shards, follows them) and the controller ends it. It never enters the pending
 * index. Cancelling one is `cancel`: it goes to cancelling, and the controller ends it once its
 * shards have stopped.
 */
import { FailedPreconditionError } from '../errors';
import { isTerminal, type JobState } from '../job-state';
import type { JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';

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
