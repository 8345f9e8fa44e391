import { sql, type Kysely, type Transaction } from 'kysely';
import { ACTIVE_ATTEMPT_STATES, place } from '@gantry/domain';
import type { FenceToken, PlacedAttempt, Placement, Waiting } from '../api';
import { advanceFence } from '../fence';
import type { Schema } from '../schema';
import { lockJobs } from './locks';
import { writeChange } from './write-change';

/**
 * Transaction "commit a scheduling cycle" (leader only, fenced). Reads: scheduler_fence, the
 * named jobs (locked FOR UPDATE in id order), the target nodes, the active attempts on them.
 * Writes: the fence token; for each placement whose job is still pending, on a node that is
 * still ready, onto GPUs no active attempt holds: the domain `place` change (job scheduled, a
 * new dispatching attempt, a state_change history entry). Waiting jobs still pending get their
 * reason and message (no history entry). Emits: the attempts created. Nothing is written when
 * the fence is stale (AbortedError).
 */
export async function commitCycle(
  db: Kysely<Schema>,
  fence: FenceToken,
  placements: readonly Placement[],
  waiting: readonly Waiting[],
  now: number,
): Promise<PlacedAttempt[]> {
  return db.transaction().execute(async (trx) => {
    await advanceFence(trx, fence);
    const jobs = await lockJobs(trx, [
      ...placements.map((p) => p.jobId),
      ...waiting.map((w) => w.jobId),
    ]);
    const usable = await usableGpus(trx, placements);
    const placed: PlacedAttempt[] = [];
    for (const placement of placements) {
      const job = jobs.get(placement.jobId);
      if (!job || job.state !== 'pending' || !usable.take(placement)) continue;
      const change = place(job, placement, now);
      jobs.set(job.id, await writeChange(trx, job, job.attempt + 1, change, now));
      placed.push({
        jobId: job.id,
        attempt: job.attempt + 1,
        nodeId: placement.nodeId,
        gpuIndices: [...placement.gpuIndices],
      });
    }
    await setWaitingReasons(
      trx,
      waiting.filter((wait) => {
        const job = jobs.get(wait.jobId);
        return (
          job?.state === 'pending' && (job.reason !== wait.reason || job.message !== wait.message)
        );
      }),
    );
    return placed;
  });
}

/** One statement for every waiting job whose reason or message changed. */
async function setWaitingReasons(
  trx: Transaction<Schema>,
  waits: readonly Waiting[],
): Promise<void> {
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

/** The ready nodes and the GPUs on them that no active attempt holds. */
async function usableGpus(
  trx: Transaction<Schema>,
  placements: readonly Placement[],
): Promise<{ take(placement: Placement): boolean }> {
  const nodeIds = [...new Set(placements.map((p) => p.nodeId))];
  const ready = new Set<string>();
  const held = new Set<string>();
  if (nodeIds.length > 0) {
    const nodes = await trx
      .selectFrom('nodes')
      .select('id')
      .where('id', 'in', nodeIds)
      .where('state', '=', 'ready')
      .execute();
    for (const node of nodes) ready.add(node.id);
    const active = await trx
      .selectFrom('attempts')
      .select(['node_id', 'gpu_indices'])
      .where('node_id', 'in', nodeIds)
      .where('state', 'in', [...ACTIVE_ATTEMPT_STATES])
      .execute();
    for (const row of active) for (const gpu of row.gpu_indices) held.add(`${row.node_id}/${gpu}`);
  }
  return {
    take(placement) {
      const keys = placement.gpuIndices.map((gpu) => `${placement.nodeId}/${gpu}`);
      if (!ready.has(placement.nodeId) || new Set(keys).size !== keys.length) return false;
      if (keys.some((key) => held.has(key))) return false;
      for (const key of keys) held.add(key);
      return true;
    },
  };
}
