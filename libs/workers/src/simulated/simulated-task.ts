import type { SimulatedWorkload } from '@gantry/domain';
import {
  preemptionNotice,
  STOP_REASON_TEXT,
  type RunningTask,
  type StopReason,
  type TaskEventSink,
  type TaskExit,
} from '../backend';
import type { Timers, TimerHandle } from '../ports';
import { mulberry32 } from './model';

export const SIMULATED_STEPS = 10;

/** A simulated task checkpoints after each quarter of its work but the last (25, 50, 75 %). */
export const SIMULATED_CHECKPOINT_PERCENTS = [25, 50, 75] as const;

/** What happens at one point of a simulated run, in percent of its work. */
type Milestone = { readonly percent: number; readonly kind: 'step' | 'checkpoint' };

/** Steps and checkpoints in time order; at 50 % the step comes before the checkpoint. */
const MILESTONES: readonly Milestone[] = [
  ...Array.from({ length: SIMULATED_STEPS }, (_, i) => ({
    percent: ((i + 1) * 100) / SIMULATED_STEPS,
    kind: 'step' as const,
  })),
  ...SIMULATED_CHECKPOINT_PERCENTS.map((percent) => ({ percent, kind: 'checkpoint' as const })),
].sort((a, b) => a.percent - b.percent || (a.kind === 'step' ? -1 : 1));

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
 * seeded decay, the same for the same seed) and a progress event, at 25, 50 and 75 % a line
 * `[simulated] checkpoint at 50%` and a checkpoint event with the same text, then `exited` with
 * the workload's exit code. Stopping it ends it at once (a simulation has nothing to clean up):
 * exit code -1, signal SIGTERM and the stop's reason; a preempted one first logs the notice a
 * process gets.
 */
export class SimulatedTask implements RunningTask {
  readonly exit: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;
  private timer: TimerHandle | undefined;
  private limit: TimerHandle | undefined;
  private done = false;
  private step = 0;
  private next = 0; // index into MILESTONES
  private readonly random: () => number;

  constructor(private readonly o: SimulatedTaskOptions) {
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
    this.random = mulberry32(o.workload.seed);
    const gpus =
      o.gpuModels.length === 0
        ? 'no GPU'
        : `${o.gpuModels.length} x ${o.gpuModels[0] ?? 'unknown GPU'}`;
    o.sink.emit({ type: 'started', backend: 'simulated', pid: 0 });
    this.log(
      `[simulated] SIMULATED workload: ${o.workload.gpuSeconds} H100-seconds on ${gpus}, ` +
        `speedup ${o.speedup}: ${(o.durationMs / 1000).toFixed(3)} s (seed ${o.workload.seed})`,
    );
    if (o.timeLimitMs !== null)
      this.limit = o.timers.setTimeout(
        () =>
          void this.stop(0, 'TimeLimit', `exceeded its time limit of ${o.timeLimitMs! / 1000} s`),
        o.timeLimitMs,
      );
    this.schedule();
  }

  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    if (this.done) return this.exit;
    if (reason === 'Preempted') this.log(preemptionNotice(graceMs), 'stderr');
    this.finish({
      exitCode: -1,
      signal: 'SIGTERM',
      reason,
      message: `${message || STOP_REASON_TEXT[reason]}; simulation stopped at step ${this.step}/${SIMULATED_STEPS}`,
    });
    return this.exit;
  }

  private schedule(): void {
    const at = (percent: number) => (this.o.durationMs * percent) / 100;
    const previous = this.next === 0 ? 0 : at(MILESTONES[this.next - 1]!.percent);
    const delay = at(MILESTONES[this.next]!.percent) - previous;
    this.timer = this.o.timers.setTimeout(() => this.advance(), delay);
  }

  private advance(): void {
    const milestone = MILESTONES[this.next++]!;
    if (milestone.kind === 'checkpoint') {
      const text = `[simulated] checkpoint at ${milestone.percent}%`;
      this.log(text);
      this.o.sink.emit({ type: 'checkpoint', message: text });
    } else this.advanceStep();
    if (this.next < MILESTONES.length) return this.schedule();
    const code = this.o.workload.exitCode;
    this.finish({
      exitCode: code,
      signal: '',
      reason: '',
      message: `simulated work finished; exited with code ${code}`,
    });
  }

  private advanceStep(): void {
    this.step += 1;
    const loss = 2.5 * Math.exp(-0.3 * this.step) + this.random() * 0.05;
    this.log(`[simulated] step ${this.step}/${SIMULATED_STEPS} loss=${loss.toFixed(4)}`);
    this.o.sink.emit({
      type: 'progress',
      fraction: this.step / SIMULATED_STEPS,
      message: `simulated step ${this.step}/${SIMULATED_STEPS}`,
    });
  }

  private log(line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.o.sink.emit({ type: 'log', stream, lines: [line] });
  }

  private finish(exit: TaskExit): void {
    this.done = true;
    if (this.timer !== undefined) this.o.timers.clearTimeout(this.timer);
    if (this.limit !== undefined) this.o.timers.clearTimeout(this.limit);
    this.o.sink.emit({ type: 'exited', ...exit });
    this.resolveExit(exit);
  }
}
