import type { Kysely } from 'kysely';
import { cancel, isAttemptActive, NotFoundError } from '@gantry/domain';
import type { JobView, Scope, StopOrder } from '../api';
import type { Schema } from '../schema';
import { findRanks, lockJob } from './locks';
import { loadViews, canSee } from './views';
import { writeChange } from './write-change';

/**
 * Transaction "cancel". Reads: the job (locked FOR UPDATE) and its current attempt's ranks.
 * Writes: the domain `cancel` change: a pending job ends cancelled; a placed one goes to
 * cancelling; an ended one stays as it is. Emits: a stop order for each active rank of the
 * current attempt while the job is cancelling (so a repeated cancel re-sends them).
 */
export async function cancelJob(
  db: Kysely<Schema>,
  scope: Scope,
  jobId: string,
  reason: string,
  now: number,
): Promise<{ job: JobView; stops: StopOrder[] }> {
  const stops = await db.transaction().execute(async (trx) => {
    const locked = await lockJob(trx, jobId);
    if (!locked || !canSee(scope, locked.tenantId)) throw new NotFoundError('job', jobId);
    const job = await writeChange(trx, locked, locked.attempt, cancel(locked, reason, now), now);
    if (job.state !== 'cancelling') return [];
    const ranks = await findRanks(trx, job.id, job.attempt);
    return ranks
      .filter((r) => isAttemptActive(r.state))
      .map((r) => ({ jobId: job.id, attempt: r.number, rank: r.rank, nodeId: r.nodeId }));
  });
  const [job] = await loadViews(db, [jobId]);
  if (!job) throw new NotFoundError('job', jobId);
  return { job, stops };
}
