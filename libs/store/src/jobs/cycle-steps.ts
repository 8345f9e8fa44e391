/** The steps of "commit a scheduling cycle" (commit-cycle.ts) after placement, each on locked jobs. */
import { sql, type Transaction } from 'kysely';
import { failDependency, isAttemptActive, requestPreemption } from '@gantry/domain';
import type {
  DependencyFailure,
  NominationOrder,
  PreemptionOrder,
  StopOrder,
  Waiting,
} from '../api';
import type { StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { findRanks, splitRanks } from './locks';
import { patchRanks, writeChange } from './write-change';

export type LockedJobs = Map<string, StoredJob>;

/**
 * Domain `requestPreemption` on each named attempt (a notice entry; every rank is marked
 * Preempted). Returns a stop order for each active rank marked Preempted of each named attempt
 * that is its job's current one, whether marked now or by an earlier cycle, unless the job is
 * being cancelled.
 */
export async function preempt(
  trx: Transaction<Schema>,
  jobs: LockedJobs,
  orders: readonly PreemptionOrder[],
  now: number,
): Promise<StopOrder[]> {
  const stops: StopOrder[] = [];
  const done = new Set<string>();
  for (const order of orders) {
    const job = jobs.get(order.jobId);
    if (!job || done.has(job.id)) continue;
    const ranks = await findRanks(trx, job.id, order.attempt);
    const { attempt, siblings } = splitRanks(ranks, 0);
    if (!attempt) continue;
    done.add(job.id);
    const change = requestPreemption(job, attempt, order.message, siblings);
    const updated = await writeChange(trx, job, attempt.number, change, now);
    jobs.set(job.id, updated);
    if (attempt.number !== updated.attempt || updated.state === 'cancelling') continue;
    for (const after of patchRanks(ranks, change, 0)) {
      if (after.stopReason === 'Preempted' && isAttemptActive(after.state))
        stops.push({
          jobId: job.id,
          attempt: after.number,
          rank: after.rank,
          nodeId: after.nodeId,
        });
    }
  }
  return stops;
}

/** Domain `failDependency`: each pending job named ends cancelled. Returns those that did. */
export async function failDependencies(
  trx: Transaction<Schema>,
  jobs: LockedJobs,
  failures: readonly DependencyFailure[],
  now: number,
): Promise<StoredJob[]> {
  const cancelled: StoredJob[] = [];
  for (const failure of failures) {
    const job = jobs.get(failure.jobId);
    if (!job) continue;
    const change = failDependency(job, failure.message, now);
    if (change.events.length === 0) continue;
    const updated = await writeChange(trx, job, job.attempt, change, now);
    jobs.set(job.id, updated);
    cancelled.push(updated);
  }
  return cancelled;
}

/** Sets the nominated nodes of each pending job named whose nomination changed (no entry). */
export async function nominate(
  trx: Transaction<Schema>,
  jobs: LockedJobs,
  nominations: readonly NominationOrder[],
): Promise<void> {
  for (const nomination of nominations) {
    const job = jobs.get(nomination.jobId);
    if (job?.state !== 'pending') continue;
    const nodeIds = [...nomination.nodeIds];
    if (nodeIds.join('\n') === job.nominatedNodeIds.join('\n')) continue;
    await trx
      .updateTable('jobs')
      .set({ nominated_node_ids: nodeIds })
      .where('id', '=', job.id)
      .execute();
    jobs.set(job.id, { ...job, nominatedNodeIds: nodeIds });
  }
}

/** One statement for every waiting job, still pending, whose reason or message changed. */
export async function setWaitingReasons(
  trx: Transaction<Schema>,
  jobs: LockedJobs,
  waiting: readonly Waiting[],
): Promise<void> {
  const waits = waiting.filter((wait) => {
    const job = jobs.get(wait.jobId);
    return job?.state === 'pending' && (job.reason !== wait.reason || job.message !== wait.message);
  });
  if (waits.length === 0) return;
  await sql`
    update jobs set reason = w.reason, message = w.message
    from unnest(
      ${waits.map((w) => w.jobId)}::text[],
      ${waits.map((w) => w.reason)}::text[],
      ${waits.map((w) => w.message)}::text[]
    ) as w (id, reason, message)
    where jobs.id = w.id`.execute(trx);
}
