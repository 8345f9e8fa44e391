import { Reason } from '../reasons';
import type { JobRecord } from '../records';
import { move, NO_CHANGE, type Change } from './change';

/**
 * The owner asked to stop the job. A pending job ends at once; a placed one goes to cancelling
 * (its agents stop every rank, and the last exit ends it cancelled). A job that already ended is
 * left as it is.
 */
export function cancel(job: JobRecord, reason: string, now: number): Change {
  const message = reason ? `cancelled: ${reason}` : 'cancelled by its owner';
  switch (job.state) {
    case 'pending':
      return move(job, 'cancelled', job.attempt, Reason.Cancelled, message, { endedAt: now });
    case 'scheduled':
    case 'running':
      return move(
        job,
        'cancelling',
        job.attempt,
        Reason.Cancelled,
        `${message}; stopping the task`,
      );
    default:
      return NO_CHANGE;
  }
}
