import type { SimulatedWorkload } from '@gantry/domain';
import {
  STOP_REASON_TEXT,
  type RunningTask,
  type StopReason,
  type TaskEventSink,
  type TaskExit,
} from '../backend';
import type { Timers, TimerHandle } from '../ports';
import { mulberry32 } from './model';

export const SIMULATED_STEPS = 10;

export interface SimulatedTaskOptions {
  readonly workload: SimulatedWorkload;
  readonly durationMs: number;
  readonly gpuModels: readonly (string | null)[];
  readonly speedup: number;
  readonly timeLimitMs: number | null;
  readonly sink: TaskEventSink;
  readonly timers: Timers;
}

/**
 * One simulated task: `started` (backend `simulated`, pid 0), a line saying what is simulated,
 * then every tenth of the duration a line `[simulated] step k/10 loss=0.8123` (the loss a
 * seeded decay, the same for the same seed) and a progress event, then `exited` with the
 * workload's exit code. Stopping it ends it at once (a simulation has nothing to clean up):
 * exit code -1, signal SIGTERM and the stop's reason.
 */
export class SimulatedTask implements RunningTask {
  readonly exit: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;
  private timer: TimerHandle | undefined;
  private limit: TimerHandle | undefined;
  private done = false;
  private step = 0;
  private readonly random: () => number;

  constructor(private readonly o: SimulatedTaskOptions) {
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    this.random = mulberry32(o.workload.seed);
    const gpus =
      o.gpuModels.length === 0
        ? 'no GPU'
        : `${o.gpuModels.length} x ${o.gpuModels[0] ?? 'unknown GPU'}`;
    o.sink.emit({ type: 'started', backend: 'simulated', pid: 0 });
    o.sink.emit({
      type: 'log',
      stream: 'stdout',
      lines: [
        `[simulated] SIMULATED workload: ${o.workload.gpuSeconds} H100-seconds on ${gpus}, ` +
          `speedup ${o.speedup}: ${(o.durationMs / 1000).toFixed(3)} s (seed ${o.workload.seed})`,
      ],
    });
    if (o.timeLimitMs !== null)
      this.limit = o.timers.setTimeout(
        () =>
          void this.stop(0, 'TimeLimit', `exceeded its time limit of ${o.timeLimitMs! / 1000} s`),
        o.timeLimitMs,
      );
    this.schedule();
  }

  stop(_graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    if (!this.done)
      this.finish({
        exitCode: -1,
        signal: 'SIGTERM',
        reason,
        message: `${message || STOP_REASON_TEXT[reason]}; simulation stopped at step ${this.step}/${SIMULATED_STEPS}`,
      });
    return this.exit;
  }

  private schedule(): void {
    const next = this.step + 1;
    const at = (this.o.durationMs * next) / SIMULATED_STEPS;
    const previous = (this.o.durationMs * this.step) / SIMULATED_STEPS;
    this.timer = this.o.timers.setTimeout(() => this.advance(), at - previous);
  }

  private advance(): void {
    this.step += 1;
    const loss = 2.5 * Math.exp(-0.3 * this.step) + this.random() * 0.05;
    const { sink } = this.o;
    sink.emit({
      type: 'log',
      stream: 'stdout',
      lines: [`[simulated] step ${this.step}/${SIMULATED_STEPS} loss=${loss.toFixed(4)}`],
    });
    sink.emit({
      type: 'progress',
      fraction: this.step / SIMULATED_STEPS,
      message: `simulated step ${this.step}/${SIMULATED_STEPS}`,
    });
    if (this.step < SIMULATED_STEPS) return this.schedule();
    const code = this.o.workload.exitCode;
    this.finish({
      exitCode: code,
      signal: '',
      reason: '',
      message: `simulated work finished; exited with code ${code}`,
    });
  }

  private finish(exit: TaskExit): void {
    this.done = true;
    if (this.timer !== undefined) this.o.timers.clearTimeout(this.timer);
    if (this.limit !== undefined) this.o.timers.clearTimeout(this.limit);
    this.o.sink.emit({ type: 'exited', ...exit });
    this.resolveExit(exit);
  }
}
