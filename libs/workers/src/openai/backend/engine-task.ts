import { UnavailableError } from '@gantry/domain';
import {
  preemptionNotice,
  STOP_REASON_TEXT,
  type OutputStream,
  type RunningTask,
  type StopReason,
  type TaskEventSink,
  type TaskExit,
} from '../../backend';
import type { TimerHandle, Timers } from '../../ports';
import type { EngineDiedError } from '../engine-errors';
import type { EngineLease } from '../engine-lease';
import { acquireEngine, type EngineSource } from './engine-acquire';
import type { EngineProgram, ProgramContext } from './engine-program';

/** What a stop aborts a program with. */
export class TaskStoppedError extends Error {}

export interface EngineTaskOptions {
  readonly program: EngineProgram;
  readonly engines: EngineSource;
  readonly gpuIndices: readonly number[];
  readonly timeLimitMs: number | null;
  /** Grace between the stop and giving up on the program when the time limit stops it. */
  readonly killGraceMs: number;
  /** Between two "still waiting" lines while the engine starts. */
  readonly startNoticeMs: number;
  /** After the engine stopped answering: how long to wait for word of its death (its log tail). */
  readonly deathWaitMs: number;
  readonly sink: TaskEventSink;
  readonly timers: Timers;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One task attempt of the `openai` backend: `started` (pid 0: the engine is shared), a lease on
 * the engine (log lines while it starts, which can take minutes), the program over it, then
 * `exited`, after the lease is released. Exits: 0 when the program finished; -1 EngineFailed
 * when the engine would not start (StartFailed when it cannot be had at all: an unknown
 * engine); 1 when the program failed: reason EngineFailed for the engine's death (with its log
 * tail) or an unreachable engine, no reason for the program's own error; on a stop (SIGTERM semantics) the program is aborted at once
 * and the task ends with the stop's reason, signal SIGTERM (SIGKILL when it did not unwind
 * within the grace). The time limit stops it like the other backends (reason TimeLimit).
 */
export class EngineTask implements RunningTask {
  readonly exit: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;
  private readonly controller = new AbortController();
  private readonly timers = new Set<TimerHandle>();
  private stopped: { readonly reason: StopReason; readonly message: string } | undefined;
  private finished = false;

  constructor(private readonly o: EngineTaskOptions) {
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    o.sink.emit({ type: 'started', backend: 'openai', pid: 0 });
    const limit = o.timeLimitMs;
    if (limit !== null)
      this.after(limit, () => {
        void this.stop(o.killGraceMs, 'TimeLimit', `exceeded its time limit of ${limit / 1000} s`);
      });
    void this.run();
  }

  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    if (this.finished) return this.exit;
    if (!this.stopped) {
      this.stopped = { reason, message: message || STOP_REASON_TEXT[reason] };
      if (reason === 'Preempted') this.log(preemptionNotice(graceMs), 'stderr');
      this.controller.abort(new TaskStoppedError(this.stopped.message));
    }
    // The program unwinds at once; one that has not within the grace is given up on.
    this.after(Math.max(0, graceMs), () => this.finish(this.stoppedExit('SIGKILL')));
    return this.exit;
  }

  private async run(): Promise<void> {
    let lease: EngineLease;
    try {
      lease = await this.acquire();
    } catch (error) {
      if (this.stopped) return this.finish(this.stoppedExit('SIGTERM'));
      const message = `${this.o.program.label}: no engine: ${messageOf(error)}`;
      // An engine that would not start may start next time (elsewhere); a bad engine name never.
      const reason = error instanceof UnavailableError ? 'EngineFailed' : 'StartFailed';
      return this.finish({ exitCode: -1, signal: '', reason, message });
    }
    let exit: TaskExit;
    try {
      const message = await this.o.program.run(this.context(lease));
      exit = { exitCode: 0, signal: '', reason: this.stopped?.reason ?? '', message };
    } catch (error) {
      exit = await this.failure(error, lease);
    }
    lease.release();
    this.finish(exit);
  }

  private acquire(): Promise<EngineLease> {
    return acquireEngine({
      engines: this.o.engines,
      engine: this.o.program.engine,
      gpuIndices: this.o.gpuIndices,
      signal: this.controller.signal,
      noticeMs: this.o.startNoticeMs,
      log: (line) => this.log(line),
      timers: {
        setTimeout: (callback, ms) => this.after(ms, callback),
        clearTimeout: (handle) => this.cancel(handle),
      },
    });
  }

  private context(lease: EngineLease): ProgramContext {
    return {
      client: lease.client,
      signal: AbortSignal.any([this.controller.signal, lease.signal]),
      log: (line, stream) => this.log(line, stream),
      progress: (fraction, message) => {
        if (!this.finished) this.o.sink.emit({ type: 'progress', fraction, message });
      },
      result: (result) => {
        if (!this.finished) this.o.sink.emit({ type: 'result', result });
      },
    };
  }

  /**
   * How a failed program ends the task. An engine that stopped answering has most likely died:
   * its death (with its log tail) is waited for a moment and reported instead of the symptom.
   */
  private async failure(error: unknown, lease: EngineLease): Promise<TaskExit> {
    if (this.stopped) return this.stoppedExit('SIGTERM');
    let died = lease.signal.aborted ? (lease.signal.reason as EngineDiedError) : undefined;
    if (!died && error instanceof UnavailableError) died = await this.within(lease.died);
    const label = this.o.program.label;
    if (died && died !== error) this.log(`${label}: ${messageOf(error)}`, 'stderr');
    const message = died
      ? `${label} failed: the engine went away: ${died.message}`
      : `${label} failed: ${messageOf(error)}`;
    // A dead or unreachable engine is not the job's fault: the control plane runs it again.
    const reason = died || error instanceof UnavailableError ? 'EngineFailed' : '';
    return { exitCode: 1, signal: '', reason, message };
  }

  /** `promise`'s value if it settles within deathWaitMs, else undefined. */
  private within<T>(promise: Promise<T>): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = this.after(this.o.deathWaitMs, () => resolve(undefined));
      void promise.then((value) => {
        this.cancel(timer);
        resolve(value);
      });
    });
  }

  private stoppedExit(signal: 'SIGTERM' | 'SIGKILL'): TaskExit {
    const { reason, message } = this.stopped!;
    return {
      exitCode: -1,
      signal,
      reason,
      message: `${message}; ${this.o.program.label} stopped`,
    };
  }

  private log(line: string, stream: OutputStream = 'stdout'): void {
    if (!this.finished) this.o.sink.emit({ type: 'log', stream, lines: [line] });
  }

  private finish(exit: TaskExit): void {
    if (this.finished) return;
    this.finished = true;
    for (const handle of this.timers) this.o.timers.clearTimeout(handle);
    this.timers.clear();
    this.o.sink.emit({ type: 'exited', ...exit });
    this.resolveExit(exit);
  }

  private after(ms: number, callback: () => void): TimerHandle {
    const handle = this.o.timers.setTimeout(() => {
      this.timers.delete(handle);
      callback();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private cancel(handle: TimerHandle): void {
    this.o.timers.clearTimeout(handle);
    this.timers.delete(handle);
  }
}
