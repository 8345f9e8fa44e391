import type { PriorityClass } from './classes';
import type { SnapshotEngine } from './engines';
import type { PendingJob, RunningJob } from './jobs';
import type { QueueSpec } from './queues';

export interface SnapshotGpu {
  readonly index: number;
  /** Catalog id, '' when unknown. */
  readonly model: string;
}

export interface SnapshotNode {
  readonly id: string;
  readonly name: string;
  readonly gpus: readonly SnapshotGpu[];
  /** Node labels; the fabric domain of multi-node jobs is one of them. */
  readonly labels: Readonly<Record<string, string>>;
  /** False for lost (or cordoned) nodes. */
  readonly schedulable: boolean;
  /** The inference engines it keeps warm (absent or empty: none, as in the simulator). */
  readonly warmEngines?: readonly SnapshotEngine[];
}

export interface PolicyConfig {
  /** Node label naming a node's fabric domain; a multi-node job stays inside one. */
  readonly fabricLabel: string;
  /** Usage older by this much counts half in fair share. */
  readonly fairShareHalfLifeSeconds: number;
  /** Blocked jobs that get a reservation per cycle (the first ones in order). */
  readonly maxReservations: number;
  /**
   * Pending jobs a cycle tries to place, preempt or reserve for (jobs refused by quota are
   * cheap and not counted); the rest keep their previous reason.
   */
  readonly maxConsidered: number;
  /** Jobs preempted per cycle at most (preemption is spread over cycles, not done in bulk). */
  readonly maxPreemptionsPerCycle: number;
  /**
   * A preemptible job that was preempted this often is not preempted for priority again (it
   * still yields to a queue reclaiming its guarantee): every job makes progress.
   */
  readonly maxPreemptionsPerJob: number;
  /**
   * A job of a preemptible class preempts for priority only when it could otherwise not start
   * within this long (it reserves instead): preemption costs work, so it is kept for real waits.
   * Jobs of non-preemptible classes (serving) preempt at once.
   */
  readonly preemptAfterWaitSeconds: number;
  /**
   * Classes below this priority are opportunistic (the market's interruptible leases, 50): they
   * run on capacity nothing else wants now and lose nothing they were promised when stopped
   * with their grace period (a lease's notice). Any job of a higher class that does not fit
   * preempts them at once instead of first waiting `preemptAfterWaitSeconds`, which protects
   * the work of other victims. Absent: DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY (100, `background`:
   * every default internal class is at or above it).
   */
  readonly opportunisticBelowPriority?: number;
  /**
   * A job waiting this long (since its waitingSince) is starving (ADR 13): it goes before every
   * class, fair share deciding among starving jobs; its reservation is not counted against
   * `maxReservations`; if it can neither start nor preempt otherwise, it preempts jobs that
   * waited less than it did (starvation preemption). A job that started after starving is a
   * victim of reclaim and priority preemption only as a last resort.
   */
  readonly starvationAgeSeconds: number;
  readonly backfill: boolean;
  readonly preemption: boolean;
}

/** Classes below this priority are opportunistic unless configured otherwise. */
export const DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY = 100;

export const DEFAULT_POLICY_CONFIG: PolicyConfig = {
  fabricLabel: 'gantry.io/fabric',
  fairShareHalfLifeSeconds: 7 * 24 * 3600,
  maxReservations: 8,
  maxConsidered: 20_000,
  maxPreemptionsPerCycle: 64,
  maxPreemptionsPerJob: 3,
  preemptAfterWaitSeconds: 1800,
  opportunisticBelowPriority: DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY,
  starvationAgeSeconds: 3 * 24 * 3600,
  backfill: true,
  preemption: true,
};

/** Everything one cycle decides on; immutable, with the clock inside (`now`, epoch ms). */
export interface ClusterSnapshot {
  readonly now: number;
  readonly nodes: readonly SnapshotNode[];
  /** Jobs holding GPUs (including those told to stop that have not exited yet). */
  readonly running: readonly RunningJob[];
  /** Jobs eligible to run (dependencies met), in any order. */
  readonly pending: readonly PendingJob[];
  readonly queues: readonly QueueSpec[];
  readonly classes: readonly PriorityClass[];
  /**
   * Decayed GPU-seconds per queue and model as of `now`, for fair share: an entry for every queue
   * of the tree, a parent counting its children's usage too.
   */
  readonly usage: ReadonlyMap<string, Readonly<Record<string, number>>>;
  readonly config: PolicyConfig;
}
