/** Jobs as the policy sees them. Times are epoch milliseconds; durations are seconds. */

/** What a job asks for: `nodes` nodes with `gpusPerNode` GPUs each, all or nothing. */
export interface JobShape {
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** A catalog model, or null for any. A multi-node job gets one model on all its nodes. */
  readonly gpuModel: string | null;
}

export interface PendingJob {
  readonly id: string;
  /** The leaf queue. */
  readonly queue: string;
  readonly tenant: string;
  readonly priorityClass: string;
  /** Order within the queue and class: higher first. */
  readonly priority: number;
  readonly submittedAt: number;
  /**
   * The time it has been waiting since, for aging (ADR 13): the submit time plus the run time it
   * already had in earlier attempts (it was preempted or requeued), so a job thrown back does not
   * look young again and a job that ran a long time is not taken for starving. Absent: submittedAt.
   */
  readonly waitingSince?: number;
  readonly shape: JobShape;
  /** The time limit, else an estimate learned from finished jobs; null when unknown. */
  readonly estimatedRuntimeSeconds: number | null;
  /** Nodes an earlier cycle preempted jobs on for this job; they are held for it. */
  readonly nominatedNodeIds?: readonly string[];
  /**
   * The inference engine it runs on (`engineModelKey(model, revision)`), or null or absent for a
   * job without one: a node where that engine is warm and idle is preferred (engine affinity).
   */
  readonly engineModelKey?: string | null;
}

/** Where one part of a job runs. */
export interface NodeAllocation {
  readonly nodeId: string;
  readonly gpuIndices: readonly number[];
}

export interface RunningJob {
  readonly id: string;
  readonly queue: string;
  readonly tenant: string;
  readonly priorityClass: string;
  /**
   * Its order within its queue and class (PendingJob.priority; an interruptible lease's bid in
   * cents). Within an opportunistic class a pending job of a strictly higher priority may
   * preempt it (a higher bid: ADR 12).
   */
  readonly priority: number;
  readonly shape: JobShape;
  readonly allocations: readonly NodeAllocation[];
  /** The GPU model it got (its nodes' model). */
  readonly gpuModel: string;
  readonly startedAt: number;
  /** When it is expected to end (start + estimate); past expectations are extended by the caller. */
  readonly expectedEndAt: number | null;
  /** The last checkpoint the job reported; work since then is lost if it is preempted. */
  readonly lastCheckpointAt: number | null;
  /** Not preemptible for priority before this time (after a restart that followed a preemption). */
  readonly protectedUntil: number;
  /** Told to stop (preempted or cancelled); its GPUs free up when it exits. */
  readonly stopping: boolean;
  /** How often it was preempted before (a job preempted too often is not chosen again). */
  readonly preemptions?: number;
  /**
   * Its waitingSince (PendingJob) when it started: `startedAt - waitingSince` is how long it
   * waited for this attempt. A job that started after starving is a victim of reclaim or priority
   * preemption only as a last resort, and starvation preemption takes only jobs that waited less
   * than the starving job. Absent: it waited no time (startedAt).
   */
  readonly waitingSince?: number;
}

/** When the pending job has been waiting since (epoch ms): waitingSince, else its submit time. */
export function waitingSinceOf(job: PendingJob): number {
  return job.waitingSince ?? job.submittedAt;
}

/** How long a running job waited before its current attempt started, ms. */
export function waitedBeforeStart(job: RunningJob): number {
  return job.waitingSince === undefined ? 0 : Math.max(0, job.startedAt - job.waitingSince);
}

export function totalGpus(shape: JobShape): number {
  return shape.nodes * shape.gpusPerNode;
}
