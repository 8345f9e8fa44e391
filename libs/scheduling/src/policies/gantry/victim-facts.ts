/**
 * A running job as a possible victim, before any queue is looked at: whether it could be one at
 * all (a preemptible class, not told to stop), whether priority preemption may take it now, and
 * the work it would lose. Pure functions of the job and the clock, which Holdings works out for
 * every allocation in its one pass over the running jobs.
 */
import {
  DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY,
  type PolicyConfig,
  type PriorityClass,
  type RunningJob,
} from '../../model';

/** GPU-seconds of work a running job loses if stopped now (since its last checkpoint). */
export function lostWork(job: RunningJob, gpus: number, now: number): number {
  return gpus * ((now - (job.lastCheckpointAt ?? job.startedAt)) / 1000);
}

/** Classes below this priority are opportunistic (PolicyConfig.opportunisticBelowPriority). */
export function opportunisticCeiling(config: PolicyConfig): number {
  return config.opportunisticBelowPriority ?? DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY;
}

/**
 * What stopping a victim costs in work: its work since its last checkpoint, except for an
 * opportunistic job (an interruptible lease), which loses nothing it was promised (its notice
 * is its grace period; its renter pays only for what it used). Victims that cost nothing are
 * then chosen by where the preemptor packs best (VictimOrder), not by what they have run.
 */
export function victimLoss(
  job: RunningJob,
  cls: PriorityClass,
  gpus: number,
  now: number,
  opportunisticBelow: number,
): number {
  return cls.priority < opportunisticBelow ? 0 : lostWork(job, gpus, now);
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

/**
 * What rates a running job as a victim: the classes by name, the clock, the preemption cap, and
 * which classes are opportunistic.
 */
export interface VictimRules {
  readonly classes: ReadonlyMap<string, PriorityClass>;
  readonly now: number;
  readonly maxPerJob: number;
  /** Classes below this priority are opportunistic. */
  readonly opportunisticBelow: number;
}

/**
 * A running job as a possible victim, as any search rates it before looking at queues:
 * NOT_A_VICTIM (told to stop, or of a class that is not preemptible), RECLAIMABLE, or
 * TAKEABLE (priority preemption may also take it now).
 */
export function victimKind(
  job: RunningJob,
  cls: PriorityClass | undefined,
  rules: VictimRules,
): number {
  if (job.stopping || !cls?.preemptible) return NOT_A_VICTIM;
  return priorityMayTake(job, cls, rules.now, rules.maxPerJob) ? TAKEABLE : RECLAIMABLE;
}

/**
 * Whether victims rated by `rules` (victimKind) are rated as a search under another clock, cap
 * of preemptions per job and classes would rate them: the same clock, cap, and classes
 * (priority, preemptible, minimum runtime).
 */
export function ratedAlike(
  rules: VictimRules,
  classes: ReadonlyMap<string, PriorityClass>,
  now: number,
  maxPerJob: number,
): boolean {
  if (rules.now !== now || rules.maxPerJob !== maxPerJob) return false;
  if (rules.classes.size !== classes.size) return false;
  for (const [name, cls] of classes) {
    const rated = rules.classes.get(name);
    if (
      rated?.priority !== cls.priority ||
      rated.preemptible !== cls.preemptible ||
      rated.minRuntimeSeconds !== cls.minRuntimeSeconds
    )
      return false;
  }
  return true;
}
