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
  /** Back in the queue after its node was lost or its dispatch failed. */
  Requeued: 'Requeued',
  NodeLost: 'NodeLost',
  /** The agent stopped the task because the agent itself was shutting down (drain, upgrade). */
  AgentShutdown: 'AgentShutdown',
  DispatchFailed: 'DispatchFailed',
  Completed: 'Completed',
  NonZeroExit: 'NonZeroExit',
  Signaled: 'Signaled',
  TimeLimit: 'TimeLimit',
  StartFailed: 'StartFailed',
  Cancelled: 'Cancelled',
  TooManyAttempts: 'TooManyAttempts',
} as const;

export type ReasonCode = (typeof Reason)[keyof typeof Reason];
