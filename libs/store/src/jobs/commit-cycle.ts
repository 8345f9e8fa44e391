import type { Kysely } from 'kysely';
import { place } from '@gantry/domain';
import type { ChangedJob, CycleResult, CycleWrite, FenceToken, PlacedAttempt } from '../api';
import { advanceFence } from '../fence';
import type { Schema } from '../schema';
import { failDependencies, nominate, preempt, setWaitingReasons } from './cycle-steps';
import { lockJobs } from './locks';
import { usableGpus } from './usable-gpus';
import { changedJob, writeChange } from './write-change';

/**
 * Transaction "commit a scheduling cycle" (leader only, fenced). Reads: scheduler_fence, every
 * job the write names (locked FOR UPDATE in id order), their named attempts, the target nodes
 * and the active attempts on them. Writes, in order:
 *   1. the fence token (AbortedError and nothing written when it is stale);
 *   2. preemptions: domain `requestPreemption` (a notice entry, the attempt's stop_reason);
 *   3. placements of jobs still pending, on nodes still ready, onto GPUs no active task holds,
 *      all of a multi-node job's nodes or none: domain `place` (job scheduled, a new
 *      dispatching attempt with a task per rank, a state_change entry, protection after a
 *      preemption, nomination cleared);
 *   4. dependency failures: domain `failDependency` (pending jobs end cancelled);
 *   5. nominations of jobs still pending (nominated_node_ids, no entry);
 *   6. reason and message of waiting jobs still pending (no entry).
 * Emits: the attempts created (with their tasks), a stop order per preempted task (every rank),
 * and the jobs whose state changed (placed or cancelled).
 */
export async function commitCycle(
  db: Kysely<Schema>,
  fence: FenceToken,
  write: CycleWrite,
  now: number,
): Promise<CycleResult> {
  return db.transaction().execute(async (trx) => {
    await advanceFence(trx, fence);
    const jobs = await lockJobs(trx, [
      ...write.preemptions.map((p) => p.jobId),
      ...write.placements.map((p) => p.jobId),
      ...write.dependencyFailures.map((f) => f.jobId),
      ...write.nominations.map((n) => n.jobId),
      ...write.waiting.map((w) => w.jobId),
    ]);
    const preempted = await preempt(trx, jobs, write.preemptions, now);
    const usable = await usableGpus(trx, write.placements);
    const placed: PlacedAttempt[] = [];
    const changed: ChangedJob[] = [];
    for (const placement of write.placements) {
      const job = jobs.get(placement.jobId);
      if (!job || job.state !== 'pending' || !usable.take(placement, job.spec.leaseId)) continue;
      const change = place(job, placement, now, placement.protectedForSeconds ?? 0);
      const updated = await writeChange(trx, job, job.attempt + 1, change, now);
      jobs.set(job.id, updated);
      changed.push(changedJob(updated));
      placed.push({
        jobId: job.id,
        attempt: updated.attempt,
        tasks: placement.allocations.map((a, rank) => ({
          rank,
          nodeId: a.nodeId,
          gpuIndices: [...a.gpuIndices],
        })),
      });
    }
    const cancelled = await failDependencies(trx, jobs, write.dependencyFailures, now);
    changed.push(...cancelled.map((job) => changedJob(job)));
    await nominate(trx, jobs, write.nominations);
    await setWaitingReasons(trx, jobs, write.waiting);
    return { placed, preempted, changed };
  });
}
