/**
 * Each running allocation's job as a possible victim, for one GPU model: whether it could be one
 * at all (a preemptible job of the model, not told to stop), whether priority preemption may
 * take it now, its class priority and the work it would lose. Worked out once per cycle and
 * model, walking Holdings in the jobs' order, for both kinds of victim order: these are pure
 * functions of the jobs and the clock, which a cycle does not change.
 */
import type { PriorityClass, RunningJob } from '../../model';
import { gpusHeld, type Holdings } from './holdings';

/** GPU-seconds of work a running job loses if stopped now (since its last checkpoint). */
export function lostWork(job: RunningJob, gpus: number, now: number): number {
  return gpus * ((now - (job.lastCheckpointAt ?? job.startedAt)) / 1000);
}

/** Whether priority preemption may take the job now (reclaim ignores these limits). */
export function priorityMayTake(
  job: RunningJob,
  cls: PriorityClass,
  now: number,
  maxPerJob: number,
): boolean {
  const ranLongEnough =
    now >= job.startedAt + cls.minRuntimeSeconds * 1000 && now >= job.protectedUntil;
  return ranLongEnough && (job.preemptions ?? 0) < maxPerJob;
}

export const NOT_A_VICTIM = 0;
export const RECLAIMABLE = 1;
export const TAKEABLE = 2;

export class VictimFacts {
  /** Per allocation k: NOT_A_VICTIM, RECLAIMABLE, or TAKEABLE (by priority preemption too). */
  readonly kinds: Uint8Array;
  /** Per allocation k that may be a victim: its class priority and the work it would lose. */
  readonly tiers: Float64Array;
  readonly losses: Float64Array;

  constructor(
    holdings: Holdings,
    model: string,
    classes: ReadonlyMap<string, PriorityClass>,
    now: number,
    maxPerJob: number,
  ) {
    const { jobs } = holdings;
    this.kinds = new Uint8Array(jobs.length);
    this.tiers = new Float64Array(jobs.length);
    this.losses = new Float64Array(jobs.length);
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[k]!;
      if (job.stopping || job.gpuModel !== model) continue;
      const cls = classes.get(job.priorityClass);
      if (!cls?.preemptible) continue;
      this.kinds[k] = priorityMayTake(job, cls, now, maxPerJob) ? TAKEABLE : RECLAIMABLE;
      this.tiers[k] = cls.priority;
      this.losses[k] = lostWork(job, gpusHeld(job), now);
    }
  }
}
