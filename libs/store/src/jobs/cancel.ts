import type { Kysely } from 'kysely';
import { cancel, isAttemptActive, NotFoundError } from '@gantry/domain';
import type { JobView, Scope, StopOrder } from '../api';
import type { Schema } from '../schema';
import { findAttempt, lockJob } from './locks';
import { loadViews, canSee } from './views';
import { writeChange } from './write-change';

/**
 * Transaction "cancel". Reads: the job (locked FOR UPDATE) and its current attempt. Writes: the
 * domain `cancel` change: a pending job ends cancelled; a placed one goes to cancelling; an
 * ended one stays as it is. Emits: a stop order for the current attempt while the job is
 * cancelling and that attempt is active (so a repeated cancel re-sends it).
 */
export async function cancelJob(
  db: Kysely<Schema>,
  scope: Scope,
  jobId: string,
  reason: string,
  now: number,
): Promise<{ job: JobView; stop?: StopOrder }> {
  const stop = await db.transaction().execute(async (trx) => {
    const locked = await lockJob(trx, jobId);
    if (!locked || !canSee(scope, locked.tenantId)) throw new NotFoundError('job', jobId);
    const job = await writeChange(trx, locked, locked.attempt, cancel(locked, reason, now), now);
    if (job.state !== 'cancelling') return undefined;
    const attempt = await findAttempt(trx, job.id, job.attempt);
    if (!attempt || !isAttemptActive(attempt.state)) {
      return undefined;
    }
    return { jobId: job.id, attempt: attempt.number, nodeId: attempt.nodeId };
  });
  const [job] = await loadViews(db, [jobId]);
  if (!job) throw new NotFoundError('job', jobId);
  return stop ? { job, stop } : { job };
}
