import type { ClusterSnapshot } from './snapshot';
import type { NodeAllocation } from './jobs';

export interface Placement {
  readonly jobId: string;
  /** One entry per node of the job (gang members), GPUs by index. */
  readonly allocations: readonly (NodeAllocation & { readonly nodeName: string })[];
  /** True when the job runs beyond its queue's guarantee (it may be reclaimed). */
  readonly borrowing: boolean;
}

/**
 * Why a job was preempted: for a job of a higher class, for a queue reclaiming its guarantee, or
 * for a job that has waited longer than the starvation age (and longer than the victim: ADR 13).
 */
export type PreemptionCause = 'Priority' | 'Reclaim' | 'Starvation';

export interface Preemption {
  /** The victim. */
  readonly jobId: string;
  /** The job it makes room for. */
  readonly forJobId: string;
  readonly cause: PreemptionCause;
  readonly gracePeriodSeconds: number;
  readonly message: string;
}

export interface Waiting {
  readonly jobId: string;
  readonly reason: string;
  readonly message: string;
}

export interface Reservation {
  readonly jobId: string;
  /** When the job is expected to be able to start (epoch ms). */
  readonly at: number;
  readonly nodeIds: readonly string[];
}

/** Nodes held for a job while the jobs preempted for it stop (pass back as nominatedNodeIds). */
export interface Nomination {
  readonly jobId: string;
  readonly nodeIds: readonly string[];
}

export interface Decision {
  readonly placements: readonly Placement[];
  readonly preemptions: readonly Preemption[];
  readonly nominations: readonly Nomination[];
  readonly waiting: readonly Waiting[];
  readonly reservations: readonly Reservation[];
}

/** Lets a caller time the steps of a decision (the policy stays pure: it only calls back). */
export interface CycleProbe {
  step<T>(name: string, work: () => T): T;
}

/** A scheduling policy: a pure function of the snapshot. */
export interface SchedulingPolicy {
  readonly name: string;
  decide(snapshot: ClusterSnapshot, probe?: CycleProbe): Decision;
}
