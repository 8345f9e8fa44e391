/**
 * What the store offers for scheduling policy configuration and accounting: the queue tree,
 * priority classes, and decayed GPU usage per queue (fair share).
 */

export interface QueueRecord {
  readonly name: string;
  /** null for an organization. */
  readonly parent: string | null;
  /** GPUs per model (`*` for any other model). */
  readonly guaranteed: Readonly<Record<string, number>>;
  readonly max: Readonly<Record<string, number>>;
  readonly weight: number;
}

export interface PriorityClassRecord {
  readonly name: string;
  readonly priority: number;
  readonly preemptible: boolean;
  readonly minRuntimeSeconds: number;
  readonly gracePeriodSeconds: number;
}

/** Decayed GPU-seconds of one queue and model as of `asOf`. */
export interface UsageRecord {
  readonly queue: string;
  readonly model: string;
  readonly gpuSeconds: number;
  readonly asOf: number;
}

export interface PolicyRepository {
  /** Every queue; a fresh database has `default` (an organization without limits). */
  listQueues(): Promise<QueueRecord[]>;
  /**
   * Creates or replaces a queue. ValidationError naming the field (`queue.name`, `queue.parent`,
   * `queue.guaranteed["H100-80GB"]`, ...) when: the name is malformed; the parent does not exist
   * or would make a cycle; a count is negative or not whole; a guarantee exceeds the queue's
   * maximum; the children's guarantees would exceed the parent's; a queue with jobs would get
   * children (jobs go to leaf queues).
   */
  putQueue(queue: QueueRecord, now: number): Promise<QueueRecord>;
  /** FailedPreconditionError when it has child queues or unfinished jobs; NotFoundError if absent. */
  deleteQueue(name: string): Promise<void>;
  /** Every class; a fresh database has the defaults (serving, batch, rl-rollout, background). */
  listClasses(): Promise<PriorityClassRecord[]>;
  /** Creates or replaces a class; ValidationError naming the field (`priority_class.priority`, ...). */
  putClass(priorityClass: PriorityClassRecord): Promise<PriorityClassRecord>;
  /** The stored usage (not decayed to now: callers decay it). */
  usage(): Promise<UsageRecord[]>;
  /**
   * Fenced. Decays every stored entry to `asOf` with the half-life, then adds the given
   * GPU-seconds (per queue and model, each queue's ancestors included by the caller).
   */
  accrueUsage(
    fence: number,
    added: ReadonlyArray<{ queue: string; model: string; gpuSeconds: number }>,
    asOf: number,
    halfLifeSeconds: number,
  ): Promise<void>;
}
