import type { JobResult, Workload } from '@gantry/domain';

/** One attempt of one task, as the control plane names it. */
export interface TaskAttemptRef {
  readonly taskId: string;
  readonly jobId: string;
  readonly attempt: number;
  /** Which node of a multi-node job the task is; absent (0) for a single-node job. */
  readonly rank?: number;
}

/**
 * A task of a multi-node job: its place among the job's nodes and where they meet. The process
 * backend passes it to the command as environment variables (see gangEnvironment).
 */
export interface GangPlacement {
  readonly rank: number;
  readonly size: number;
  /** Rank 0's host: where the job's rendezvous listens. */
  readonly masterHost: string;
  readonly masterPort: number;
  /** The node of every rank, in rank order. */
  readonly nodeNames: readonly string[];
}

/**
 * Why the agent ended a task itself (TaskExited.reason); '' when the task ended on its own.
 * Preempted: the control plane stopped it to make room (CancelTask reason "Preempted"); the job
 * goes back to pending. GangStopped: another rank of its multi-node job failed, so the control
 * plane stops them all. AgentShutdown: the agent stopped it because the agent itself is
 * shutting down (not the job's fault, nor its owner's wish).
 */
export type ExitReason =
  | ''
  | 'Cancelled'
  | 'Preempted'
  | 'GangStopped'
  | 'TimeLimit'
  | 'StartFailed'
  | 'AgentShutdown'
  | 'EngineFailed';

/** The reasons a caller may give when it stops a task. */
export type StopReason = Exclude<ExitReason, '' | 'StartFailed' | 'EngineFailed'>;

/**
 * The line a preempted task finds in its log (stderr) when its SIGTERM comes: it is told why
 * (and how long it has to checkpoint) without anything new in its environment.
 */
export function preemptionNotice(graceMs: number): string {
  return `[gantry] preempted: stopping (grace ${Math.round(Math.max(0, graceMs)) / 1000}s)`;
}

/** What a stop says when its caller gave no message. */
export const STOP_REASON_TEXT: Record<StopReason, string> = {
  Cancelled: 'cancelled',
  Preempted: 'preempted',
  GangStopped: 'stopped: another rank of the job failed',
  TimeLimit: 'stopped at its time limit',
  AgentShutdown: 'the node agent is shutting down',
};

/** How a task attempt ended; also the payload of its last event. */
export interface TaskExit {
  /** The exit code; -1 when the task died of a signal or never started. */
  readonly exitCode: number;
  /** The signal that ended it (`SIGKILL`); '' when it exited by itself. */
  readonly signal: string;
  readonly reason: ExitReason;
  readonly message: string;
}

export interface StartTaskRequest {
  readonly task: TaskAttemptRef;
  readonly workload: Workload;
  /** The GPUs given to the task (CUDA_VISIBLE_DEVICES); empty for none. */
  readonly gpuIndices: readonly number[];
  /** Stop the task (reason TimeLimit) after this long; null for no limit. */
  readonly timeLimitMs: number | null;
  /** Set for a task of a multi-node job. */
  readonly gang?: GangPlacement;
  /**
   * Receives the task's events, in order: started, logs and progress, a result (inference
   * kinds that produce one, just before a clean exit), exited (always last).
   */
  readonly sink: TaskEventSink;
}

/** A task attempt a backend runs. */
export interface RunningTask {
  /**
   * Stops the task: SIGTERM (to its whole process group), then SIGKILL after `graceMs`. Safe to
   * call again; the first reason wins, a shorter grace brings the SIGKILL forward. Reason
   * Preempted first writes `preemptionNotice(graceMs)` to the task's stderr log.
   */
  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit>;
  /** Settles once the task has ended and its `exited` event was emitted; never rejects. */
  readonly exit: Promise<TaskExit>;
}

/**
 * Runs task attempts of some kind of workload. A task that cannot start is not an error of
 * `start`: it ends with an `exited` event (reason StartFailed). `start` rejects only for a
 * request the backend cannot take at all (a workload of another kind).
 */
export interface WorkerBackend {
  /** `process`, `simulated` or `openai`: reported in the task's `started` event. */
  readonly name: string;
  start(request: StartTaskRequest): Promise<RunningTask>;
}

export type OutputStream = 'stdout' | 'stderr';

/** Something that happened to a running task, as a backend tells it. */
export type WorkerEvent =
  | { readonly type: 'started'; readonly backend: string; readonly pid: number }
  | { readonly type: 'log'; readonly stream: OutputStream; readonly lines: readonly string[] }
  | { readonly type: 'progress'; readonly fraction: number; readonly message: string }
  | { readonly type: 'checkpoint'; readonly message: string }
  /** What a task of an inference kind produced (a reasoning job's answer); before its exit. */
  | { readonly type: 'result'; readonly result: JobResult }
  | ({ readonly type: 'exited' } & TaskExit);

/** Where a backend sends a task's events. Must not throw. */
export interface TaskEventSink {
  emit(event: WorkerEvent): void;
}
