/**
 * "Commit a scheduling cycle" over in-memory records, in the store's order
 * (libs/store/src/jobs/commit-cycle.ts): preemptions (domain `requestPreemption`), placements
 * of jobs still pending onto GPUs no active attempt holds (domain `place`), dependency failures
 * (domain `failDependency`), nominations and waiting reasons of jobs still pending. Node
 * readiness is not checked here: the in-memory job records know no nodes.
 */
import {
  failDependency,
  isAttemptActive,
  place,
  requestPreemption,
  type JobRecord,
} from '@gantry/domain';
import type {
  ChangedJob,
  CycleResult,
  CycleWrite,
  PlacedAttempt,
  Placement,
  StopOrder,
} from '@gantry/store';
import { changedOf } from '../effects/job-effects.service';
import type { JobRecords } from './job-records';

export function commitCycleOn(records: JobRecords, write: CycleWrite, now: number): CycleResult {
  const preempted = preempt(records, write, now);
  const held = heldGpus(records);
  const placed: PlacedAttempt[] = [];
  const changed: ChangedJob[] = [];
  for (const placement of write.placements) {
    const job = records.jobs.get(placement.jobId);
    if (job?.state !== 'pending' || !take(held, placement)) continue;
    const change = place(job, placement, now, placement.protectedForSeconds ?? 0);
    const updated = records.apply(job, job.attempt + 1, change, now);
    changed.push(changedOf(updated));
    const tasks = placement.allocations.map((a, rank) => ({
      rank,
      nodeId: a.nodeId,
      gpuIndices: [...a.gpuIndices],
    }));
    placed.push({ jobId: job.id, attempt: updated.attempt, tasks });
  }
  for (const failure of write.dependencyFailures) {
    const job = records.jobs.get(failure.jobId);
    if (!job) continue;
    const change = failDependency(job, failure.message, now);
    if (change.events.length > 0)
      changed.push(changedOf(records.apply(job, job.attempt, change, now)));
  }
  for (const nomination of write.nominations) {
    const job = records.jobs.get(nomination.jobId);
    if (job?.state === 'pending')
      setJob(records, { ...job, nominatedNodeIds: [...nomination.nodeIds] });
  }
  for (const wait of write.waiting) {
    const job = records.jobs.get(wait.jobId);
    if (job?.state === 'pending')
      setJob(records, { ...job, reason: wait.reason, message: wait.message });
  }
  return { placed, preempted, changed };
}

function setJob(records: JobRecords, job: JobRecord): void {
  records.jobs.set(job.id, job);
}

/** A stop order for each active rank marked Preempted of each named current attempt. */
function preempt(records: JobRecords, write: CycleWrite, now: number): StopOrder[] {
  const stops: StopOrder[] = [];
  for (const order of write.preemptions) {
    const job = records.jobs.get(order.jobId);
    const [attempt, ...siblings] = records.ranksOf(order.jobId, order.attempt);
    if (!job || !attempt || stops.some((s) => s.jobId === job.id)) continue;
    const change = requestPreemption(job, attempt, order.message, siblings);
    const updated = records.apply(job, attempt.number, change, now);
    if (attempt.number !== updated.attempt || updated.state === 'cancelling') continue;
    for (const after of records.ranksOf(order.jobId, order.attempt))
      if (after.stopReason === 'Preempted' && isAttemptActive(after.state))
        stops.push({
          jobId: job.id,
          attempt: after.number,
          rank: after.rank,
          nodeId: after.nodeId,
        });
  }
  return stops;
}

function heldGpus(records: JobRecords): Set<string> {
  const held = new Set<string>();
  for (const attempt of records.attempts.values())
    if (isAttemptActive(attempt.state))
      for (const gpu of attempt.gpuIndices) held.add(`${attempt.nodeId}/${gpu}`);
  return held;
}

/** Claims the placement's GPUs on all its nodes when every one is free (none named twice). */
function take(held: Set<string>, placement: Placement): boolean {
  const keys = placement.allocations.flatMap((a) => a.gpuIndices.map((g) => `${a.nodeId}/${g}`));
  if (new Set(keys).size !== keys.length || keys.some((key) => held.has(key))) return false;
  for (const key of keys) held.add(key);
  return true;
}
