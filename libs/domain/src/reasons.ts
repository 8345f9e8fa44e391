/**
 * Short CamelCase codes that say why a job waits or how it ended, like squeue's REASON column.
 * Each comes with a human message on the job.
 */
export const Reason = {
  /** No node has enough free GPUs of the requested model right now. */
  WaitingForResources: 'WaitingForResources',
  /** No registered node could ever hold the job (too many GPUs, a model nobody has). */
  Unschedulable: 'Unschedulable',
  /** Submitted; the scheduler has not looked at it yet. */
  Submitted: 'Submitted',
  /** Its queue (or an ancestor) is at its GPU maximum, or it would borrow but may not. */
  WaitingForQuota: 'WaitingForQuota',
  /** It holds a reservation: it starts when running jobs end, and backfill may not delay it. */
  Reserved: 'Reserved',
  /** A multi-node job: not enough nodes of one fabric domain are free together. */
  WaitingForGang: 'WaitingForGang',
  /** Jobs were preempted to make room for it; it starts when they have stopped. */
  Preempting: 'Preempting',
  /** It was preempted for a more important job (or its queue's guarantee) and waits to run again. */
  Preempted: 'Preempted',
  /** A job it depends on has not ended the way it needs. */
  WaitingForDependencies: 'WaitingForDependencies',
  /** A job it depends on ended the wrong way; it will never run. */
  DependencyNeverSatisfied: 'DependencyNeverSatisfied',
  /** Back in the queue after its node was lost or its dispatch failed. */
  Requeued: 'Requeued',
  NodeLost: 'NodeLost',
  /** The agent stopped the task because the agent itself was shutting down (drain, upgrade). */
  AgentShutdown: 'AgentShutdown',
  DispatchFailed: 'DispatchFailed',
  /** A rank of a multi-node job: stopped because another rank of its attempt failed. */
  GangStopped: 'GangStopped',
  Completed: 'Completed',
  NonZeroExit: 'NonZeroExit',
  Signaled: 'Signaled',
  TimeLimit: 'TimeLimit',
  StartFailed: 'StartFailed',
  Cancelled: 'Cancelled',
  TooManyAttempts: 'TooManyAttempts',
  /**
   * The inference engine of a task died or would not start: not the job's fault, so the task
   * runs again as a new attempt (resuming where it was) until the job's attempts are used up.
   */
  EngineFailed: 'EngineFailed',
  /** A batch or RL job: the control plane is checking its input file. */
  Validating: 'Validating',
  /** A batch or RL job whose input file has bad lines (listed in its result). */
  InvalidInput: 'InvalidInput',
  /** A batch job whose completion window ran out; what was answered is kept. */
  Expired: 'Expired',
  /** A batch or RL job one of whose shards failed every attempt. */
  ShardsFailed: 'ShardsFailed',
} as const;

export type ReasonCode = (typeof Reason)[keyof typeof Reason];
