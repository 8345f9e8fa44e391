/** What the scheduler leader writes and reads: placements, preemptions, stop orders, allocations. */
import type { AttemptRecord, JobRecord, JobState } from '@gantry/domain';

/** A task (one rank of an attempt) the agent must be told to stop. */
export interface StopOrder {
  readonly jobId: string;
  readonly attempt: number;
  /** The rank of a multi-node job's task; 0 for a single-node job. */
  readonly rank: number;
  readonly nodeId: string;
}

/** A leader-only write carries the fencing token of the leader's lease. */
export type FenceToken = number;

/** Where one rank of a placed job runs. */
export interface RankPlacement {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly gpuIndices: readonly number[];
}

export interface Placement {
  readonly jobId: string;
  /** One per node of the job, in rank order (a single-node job has one). */
  readonly allocations: readonly RankPlacement[];
  /** The job's class minimum runtime: protection after a restart that followed a preemption. */
  readonly protectedForSeconds?: number;
}

/** A running job the scheduler preempts (domain `requestPreemption`). */
export interface PreemptionOrder {
  readonly jobId: string;
  readonly attempt: number;
  readonly message: string;
}

/** Nodes held for a pending job while the jobs preempted for it stop. */
export interface NominationOrder {
  readonly jobId: string;
  readonly nodeIds: readonly string[];
}

/** Waiting jobs whose dependencies can never be met: they end cancelled. */
export interface DependencyFailure {
  readonly jobId: string;
  readonly message: string;
}

/** What one scheduling cycle writes, in one fenced transaction. */
export interface CycleWrite {
  readonly placements: readonly Placement[];
  readonly waiting: readonly Waiting[];
  readonly preemptions: readonly PreemptionOrder[];
  readonly nominations: readonly NominationOrder[];
  readonly dependencyFailures: readonly DependencyFailure[];
}

export interface CycleResult {
  readonly placed: readonly PlacedAttempt[];
  /** The attempts told to stop (their agents get a stop order with reason Preempted). */
  readonly preempted: readonly StopOrder[];
  /** Jobs that changed state (placed, or cancelled for a dependency). */
  readonly changed: readonly ChangedJob[];
}

/** An active attempt with what the policy needs of its job. */
export interface ActiveAttempt {
  readonly job: JobRecord;
  readonly attempt: AttemptRecord;
  readonly tenantName: string;
}

/** A finished job's runtime, for learning estimates. */
export interface FinishedRun {
  readonly tenantId: string;
  readonly gpus: number;
  readonly seconds: number;
  readonly endedAt: number;
}

export interface PlacedAttempt {
  readonly jobId: string;
  readonly attempt: number;
  /** One task per node, in rank order. */
  readonly tasks: readonly { rank: number; nodeId: string; gpuIndices: readonly number[] }[];
}

export interface Waiting {
  readonly jobId: string;
  readonly reason: string;
  readonly message: string;
}

/** A GPU allocation held by an active (dispatching or running) attempt. */
export interface Allocation {
  readonly nodeId: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly gpuIndices: readonly number[];
}

/** A job whose state changed, so callers can update the pending index and wake watchers. */
export interface ChangedJob {
  readonly id: string;
  readonly state: JobState;
  readonly priority: number;
  readonly submittedAt: number;
  /**
   * Tasks the change told to stop: the other ranks of a multi-node job one of whose ranks failed
   * (stop reason GangStopped). The caller sends their stop orders.
   */
  readonly stops?: readonly StopOrder[];
  /** A renter's job (it runs in a lease: never in the pending index). */
  readonly leased?: boolean;
}
