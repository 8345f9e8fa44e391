/**
 * The `lease` backend (ADR 10): a lease's job holds its GPUs for the renter's own jobs and runs
 * no process. `started` is the lease's delivery start. Stopped for a reclaim (reason Preempted),
 * it keeps the GPUs for the notice (its grace), then stops the renter's jobs in the lease
 * (SIGTERM, SIGKILL after their grace) and exits once they have: so the GPUs are free when the
 * scheduler expects them and never while a renter's process still runs on them. Stopped for any
 * other reason (the lease released, expired, cancelled) it does the same without the wait; such
 * a stop during the notice ends the wait, while the reclaim's stop delivered again does not.
 */
import {
  preemptionNotice,
  STOP_REASON_TEXT,
  type RunningTask,
  type StartTaskRequest,
  type StopReason,
  type TaskExit,
  type WorkerBackend,
} from '../backend';
import { systemTimers, type Timers } from '../ports';

/** Stops the renter's tasks running in a lease and resolves once they have exited. */
export type StopLeaseTasks = (leaseId: string, why: string) => Promise<void>;

export interface LeaseHolderOptions {
  readonly stopLeaseTasks: StopLeaseTasks;
  readonly timers?: Timers;
}

export class LeaseHolderBackend implements WorkerBackend {
  readonly name = 'lease';

  constructor(private readonly o: LeaseHolderOptions) {}

  async start(request: StartTaskRequest): Promise<RunningTask> {
    if (request.workload.kind !== 'lease')
      throw new Error(`the lease backend runs lease workloads, not ${request.workload.kind}`);
    return new LeaseHolder(request, request.workload.leaseId, this.o);
  }
}

class LeaseHolder implements RunningTask {
  readonly exit: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;
  private stopping: { reason: StopReason; message: string } | undefined;
  private cutShort: (() => void) | undefined;
  private readonly timers: Timers;

  constructor(
    private readonly request: StartTaskRequest,
    private readonly leaseId: string,
    private readonly o: LeaseHolderOptions,
  ) {
    this.timers = o.timers ?? systemTimers;
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    const gpus = request.gpuIndices.join(',') || 'none';
    request.sink.emit({ type: 'started', backend: 'lease', pid: 0 });
    this.log(`[gantry] holding GPUs ${gpus} for lease ${leaseId}`);
  }

  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    if (this.stopping) {
      // A stop for another reason (the control plane ended the lease during the notice) ends
      // the wait; the reclaim's own stop again (a redelivered StopTask) does not.
      if (reason !== 'Preempted') this.cutShort?.();
      return this.exit;
    }
    const reclaim = reason === 'Preempted';
    this.stopping = {
      reason,
      message: reclaim
        ? `reclaimed: ${message || 'internal work needs its GPUs'}`
        : `ended: ${message || STOP_REASON_TEXT[reason]}`,
    };
    void this.release(reclaim ? graceMs : 0);
    return this.exit;
  }

  private async release(noticeMs: number): Promise<void> {
    if (noticeMs > 0) {
      this.log(preemptionNotice(noticeMs), 'stderr');
      this.log(
        `[gantry] lease ${this.leaseId} reclaimed: its GPUs go back in ${noticeMs / 1000} s`,
      );
      await new Promise<void>((resolve) => {
        const timer = this.timers.setTimeout(resolve, noticeMs);
        this.cutShort = () => {
          this.timers.clearTimeout(timer);
          resolve();
        };
      });
    }
    const why = `lease ${this.leaseId} ${this.stopping!.message}`;
    await this.o.stopLeaseTasks(this.leaseId, why);
    this.log(`[gantry] lease ${this.leaseId}: GPUs released`);
    this.request.sink.emit({
      type: 'exited',
      exitCode: -1,
      signal: 'SIGTERM',
      reason: this.stopping!.reason,
      message: why,
    });
    this.resolveExit({
      exitCode: -1,
      signal: 'SIGTERM',
      reason: this.stopping!.reason,
      message: why,
    });
  }

  private log(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.request.sink.emit({ type: 'log', stream, lines: [line] });
  }
}
