import type { RunningTask, StopReason, TaskAttemptRef, TaskExit } from '@gantry/workers';

/** Where a task attempt is on this agent (TaskPhase in the protocol). */
export type TaskPhaseName = 'starting' | 'running' | 'stopping' | 'exited';

/** A task attempt as the agent reports it (heartbeats, RunTask and DescribeNode answers). */
export interface TaskSnapshot {
  readonly ref: TaskAttemptRef;
  readonly phase: TaskPhaseName;
  readonly gpuIndices: readonly number[];
}

export interface StopRequest {
  readonly graceMs: number;
  readonly message: string;
  readonly reason: StopReason;
}

/** A stop asked for from outside (CancelTask): no `graceMs` (null) means the configured one. */
export interface CancelRequest extends Omit<StopRequest, 'graceMs'> {
  readonly graceMs: number | null;
}

/** The supervisor's record of one task attempt. */
export class TaskEntry {
  phase: TaskPhaseName = 'starting';
  handle: RunningTask | undefined;
  /** A stop asked for before the backend handed out a handle. */
  pendingStop: StopRequest | undefined;
  exit: TaskExit | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly ref: TaskAttemptRef,
    readonly gpuIndices: readonly number[],
    /** How it shares GPUs: a renter's task runs `in` a lease; a lease's job `holds` it. */
    readonly lease: { readonly in?: string; readonly holds?: string } = {},
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  stopRequest(): StopRequest | undefined {
    return this.pendingStop;
  }

  get live(): boolean {
    return this.phase !== 'exited';
  }

  markExited(exit: TaskExit): void {
    this.phase = 'exited';
    this.exit = exit;
    this.resolveDone();
  }

  snapshot(): TaskSnapshot {
    return { ref: this.ref, phase: this.phase, gpuIndices: this.gpuIndices };
  }

  describe(): string {
    return `task ${this.ref.taskId} attempt ${this.ref.attempt}`;
  }
}
