import type { ChildProcess } from 'node:child_process';
import {
  preemptionNotice,
  type RunningTask,
  type StopReason,
  type TaskEventSink,
  type TaskExit,
} from '../backend';
import type { Timers, TimerHandle } from '../ports';
import type { OutputCapture } from './output-capture';
import type { SignalGroup } from './process-groups';
import { exitMessage, startFailure } from './exit-messages';

export interface ProcessTaskOptions {
  readonly child: ChildProcess;
  readonly program: string;
  readonly output: OutputCapture;
  readonly sink: TaskEventSink;
  readonly timers: Timers;
  readonly signalGroup: SignalGroup;
  readonly timeLimitMs: number | null;
  /** Grace between SIGTERM and SIGKILL when the time limit stops the task. */
  readonly killGraceMs: number;
  /** Called once the task's group is gone (removes its process-group record). */
  readonly release: () => Promise<void>;
  /** After the main process exits, how long to wait for its output pipes to close. */
  readonly closeTimeoutMs?: number;
}

/**
 * One spawned command. The child leads its own process group (spawned detached), so signals
 * go to the group: the whole tree gets SIGTERM on stop and SIGKILL after the grace time, and
 * when the main process exits, whatever it left in its group is killed too. A preempted task
 * finds a notice in its log (stderr) before its SIGTERM, so it knows to checkpoint.
 */
export class ProcessTask implements RunningTask {
  readonly exit: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;
  private stopped: { reason: StopReason; message: string | undefined } | undefined;
  private readonly timers = new Set<TimerHandle>();
  private spawned = false;
  private termSent = false;
  private finished = false;
  private mainExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly o: ProcessTaskOptions) {
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    const { child } = o;
    o.output.attach('stdout', child.stdout);
    o.output.attach('stderr', child.stderr);
    child.once('spawn', () => {
      this.spawned = true;
      o.sink.emit({ type: 'started', backend: 'process', pid: child.pid ?? 0 });
      if (o.timeLimitMs !== null)
        this.after(o.timeLimitMs, () => {
          void this.stop(
            o.killGraceMs,
            'TimeLimit',
            `exceeded its time limit of ${o.timeLimitMs! / 1000} s`,
          );
        });
    });
    child.once('error', (error) => {
      if (!this.spawned) void this.finish(startFailure(o.program, error));
    });
    child.once('exit', (code, signal) => this.onMainExit(code, signal));
  }

  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    if (this.finished || this.mainExit) return this.exit;
    const first = this.stopped === undefined;
    this.stopped ??= { reason, message };
    const pgid = this.o.child.pid;
    if (pgid === undefined) return this.exit; // never started: 'error' finishes it
    // Tell a preempted task why its SIGTERM comes, in its log, before the signal.
    if (first && reason === 'Preempted') this.o.output.note('stderr', preemptionNotice(graceMs));
    if (graceMs <= 0) this.o.signalGroup(pgid, 'SIGKILL');
    else {
      if (!this.termSent) this.o.signalGroup(pgid, 'SIGTERM');
      this.termSent = true;
      this.after(graceMs, () => this.o.signalGroup(pgid, 'SIGKILL'));
    }
    return this.exit;
  }

  private onMainExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.mainExit = { code, signal };
    this.clearTimers();
    // A task's processes die with it: kill whatever the main process left in its group.
    if (this.o.child.pid !== undefined) this.o.signalGroup(this.o.child.pid, 'SIGKILL');
    const { stdout, stderr } = this.o.child;
    const open = [stdout, stderr].filter((s) => s && !s.destroyed && !s.readableEnded);
    if (open.length === 0) return void this.finishExited();
    // Output still in the pipes is read before the exit is reported; a process that escaped
    // the group (setsid) could hold a pipe open forever, so the wait is bounded.
    this.o.child.once('close', () => void this.finishExited());
    this.after(this.o.closeTimeoutMs ?? 2000, () => {
      stdout?.destroy();
      stderr?.destroy();
      void this.finishExited();
    });
  }

  private finishExited(): Promise<void> {
    const { code, signal } = this.mainExit!;
    return this.finish({
      exitCode: signal !== null ? -1 : (code ?? -1),
      signal: signal ?? '',
      reason: this.stopped?.reason ?? '',
      message: exitMessage(code, signal, this.stopped),
    });
  }

  private async finish(exit: TaskExit): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    this.o.output.drain();
    await this.o.output.close();
    await this.o.release().catch(() => undefined);
    this.o.sink.emit({ type: 'exited', ...exit });
    this.resolveExit(exit);
  }

  private after(ms: number, callback: () => void): void {
    const handle = this.o.timers.setTimeout(() => {
      this.timers.delete(handle);
      callback();
    }, ms);
    this.timers.add(handle);
  }

  private clearTimers(): void {
    for (const handle of this.timers) this.o.timers.clearTimeout(handle);
    this.timers.clear();
  }
}
