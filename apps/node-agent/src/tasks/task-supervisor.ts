import {
  FailedPreconditionError,
  NotFoundError,
  UnavailableError,
  type Clock,
  type Workload,
} from '@gantry/domain';
import type { Logger } from '@gantry/observability';
import {
  STOP_REASON_TEXT,
  type GangPlacement,
  type StopReason,
  type TaskAttemptRef,
  type WorkerBackend,
  type WorkerEvent,
} from '@gantry/workers';
import { TaskEntry, type CancelRequest, type TaskSnapshot } from './task-entry';
import { TaskTable } from './task-table';

/** Where task events go (the outbox); defined here, where it is used. */
export interface EventOutbox {
  append(ref: TaskAttemptRef, event: WorkerEvent, time: number): void;
  hasPending(ref: TaskAttemptRef): boolean;
}

export interface RunTaskCommand {
  readonly ref: TaskAttemptRef;
  readonly workload: Workload;
  readonly gpuIndices: readonly number[];
  readonly timeLimitMs: number | null;
  /** Set for a task of a multi-node job. */
  readonly gang?: GangPlacement;
  /** A renter's task: the lease whose GPUs it runs on (ADR 10). */
  readonly leaseId?: string;
}

export interface TaskSupervisorOptions {
  readonly backendFor: (workload: Workload) => WorkerBackend;
  readonly outbox: EventOutbox;
  readonly clock: Clock;
  readonly log: Logger;
  /** Grace between SIGTERM and SIGKILL unless a request says otherwise. */
  readonly killGraceMs: number;
  /** How many ended attempts are remembered (for idempotent repeats); older ones are forgotten. */
  readonly retainEnded?: number;
}

/**
 * The tasks of this node: at most one attempt per task id is current. A repeated RunTask of the
 * current attempt is answered from memory; an older attempt is refused; a newer one replaces
 * the current (stopped first, in the background). Every backend event is stamped and appended
 * to the outbox, which numbers and delivers it.
 */
export class TaskSupervisor {
  private readonly table: TaskTable;
  private accepting = true;

  constructor(private readonly o: TaskSupervisorOptions) {
    this.table = new TaskTable(o.retainEnded ?? 1000);
  }

  async run(command: RunTaskCommand): Promise<{ status: TaskSnapshot; created: boolean }> {
    if (!this.accepting) throw new UnavailableError('the node agent is shutting down');
    const { ref } = command;
    const previous = this.table.currentOf(ref.taskId);
    if (previous?.ref.attempt === ref.attempt)
      return { status: previous.snapshot(), created: false };
    if (previous && previous.ref.attempt > ref.attempt)
      throw new FailedPreconditionError(
        `task ${ref.taskId} attempt ${ref.attempt} is older than attempt ${previous.ref.attempt}, which this agent already has`,
      );
    const lease = {
      ...(command.leaseId ? { in: command.leaseId } : {}),
      ...(command.workload.kind === 'lease' ? { holds: command.workload.leaseId } : {}),
    };
    this.table.checkGpusFree(ref.taskId, command.gpuIndices, lease);
    const entry = new TaskEntry(ref, command.gpuIndices, lease);
    this.table.add(entry);
    this.o.log.info(
      { taskId: ref.taskId, attempt: ref.attempt, gpus: command.gpuIndices },
      'task accepted',
    );
    const launch = this.launch(entry, command, previous);
    // Stopping a replaced attempt can take its whole grace period: do not hold the call for it.
    if (!previous?.live) await launch;
    return { status: entry.snapshot(), created: true };
  }

  /** Starts stopping an attempt (`attempt` 0: whichever is current); returns its status. */
  cancel(ref: TaskAttemptRef, stop: CancelRequest): TaskSnapshot {
    const entry = this.table.currentOf(ref.taskId);
    if (!entry || (ref.attempt !== 0 && entry.ref.attempt !== ref.attempt))
      throw new NotFoundError('task', `${ref.taskId} attempt ${ref.attempt} on this node`);
    void this.stop(entry, stop.graceMs ?? this.o.killGraceMs, stop.message, stop.reason);
    return entry.snapshot();
  }

  /** Stops the named attempts if they are current (heartbeat `stop_tasks`). */
  stopTasks(refs: readonly TaskAttemptRef[], message: string): void {
    for (const ref of refs) {
      const entry = this.table.currentOf(ref.taskId);
      if (entry?.live && entry.ref.attempt === ref.attempt)
        void this.stop(entry, this.o.killGraceMs, message);
    }
  }

  /** The control plane rejected an attempt's events: it is stale, stop it. */
  stopStale(ref: TaskAttemptRef, why: string): void {
    const entry = this.table.liveAttempt(ref);
    if (!entry) return;
    this.o.log.warn(
      { taskId: ref.taskId, attempt: ref.attempt, why },
      'control plane rejected the attempt; stopping it',
    );
    void this.stop(entry, this.o.killGraceMs, `the control plane rejected this attempt: ${why}`);
  }

  /**
   * Stops the renter tasks running in a lease (its holder is giving the GPUs back) and resolves
   * once they have exited (SIGTERM, SIGKILL after the kill grace).
   */
  async stopLeaseTasks(leaseId: string, why: string): Promise<void> {
    await Promise.all(
      this.table.inLease(leaseId).map((e) => this.stop(e, this.o.killGraceMs, why)),
    );
  }

  /** Attempts still running, and ended ones whose events are not delivered yet. */
  snapshots(): TaskSnapshot[] {
    return this.table.snapshots((entry) => this.o.outbox.hasPending(entry.ref));
  }

  /** Takes no more tasks and stops every running one (SIGTERM, SIGKILL after `graceMs`). */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    const stopping = this.table
      .liveEntries()
      .map((e) => this.stop(e, graceMs, STOP_REASON_TEXT.AgentShutdown, 'AgentShutdown'));
    await Promise.all(stopping);
  }

  private async launch(
    entry: TaskEntry,
    command: RunTaskCommand,
    previous?: TaskEntry,
  ): Promise<void> {
    if (previous?.live)
      await this.stop(previous, this.o.killGraceMs, `replaced by attempt ${entry.ref.attempt}`);
    const stopped = entry.stopRequest();
    if (stopped) {
      const message = `${stopped.message}; stopped before it started`;
      return this.onEvent(entry, {
        type: 'exited',
        exitCode: -1,
        signal: '',
        reason: stopped.reason,
        message,
      });
    }
    try {
      entry.handle = await this.o.backendFor(command.workload).start({
        task: entry.ref,
        workload: command.workload,
        gpuIndices: command.gpuIndices,
        timeLimitMs: command.timeLimitMs,
        ...(command.gang ? { gang: command.gang } : {}),
        sink: { emit: (event) => this.onEvent(entry, event) },
      });
    } catch (error) {
      const message = `cannot start: ${(error as Error).message}`;
      return this.onEvent(entry, {
        type: 'exited',
        exitCode: -1,
        signal: '',
        reason: 'StartFailed',
        message,
      });
    }
    // A stop may have come while the backend was starting the task.
    const stop = entry.stopRequest();
    if (stop) void entry.handle.stop(stop.graceMs, stop.reason, stop.message);
  }

  private stop(
    entry: TaskEntry,
    graceMs: number,
    message: string,
    reason: StopReason = 'Cancelled',
  ): Promise<void> {
    if (!entry.live) return entry.done;
    const first = entry.phase !== 'stopping';
    entry.phase = 'stopping';
    if (entry.handle) void entry.handle.stop(graceMs, reason, message);
    else entry.pendingStop ??= { graceMs, message, reason };
    if (first)
      this.o.log.info(
        { taskId: entry.ref.taskId, attempt: entry.ref.attempt, graceMs, reason, why: message },
        'stopping task',
      );
    return entry.done;
  }

  private onEvent(entry: TaskEntry, event: WorkerEvent): void {
    if (!entry.live) return; // nothing follows an exit
    if (event.type === 'started' && entry.phase === 'starting') entry.phase = 'running';
    this.o.outbox.append(entry.ref, event, this.o.clock.now());
    if (event.type !== 'exited') return;
    const { type: _type, ...exit } = event;
    entry.markExited(exit);
    this.table.markEnded(entry);
    this.o.log.info(
      { taskId: entry.ref.taskId, attempt: entry.ref.attempt, ...exit },
      'task exited',
    );
  }
}
