import type { Timers, TimerHandle } from '../ports';
import type { OutputStream, TaskEventSink } from '../backend';

export interface LogBatcherOptions {
  /** Longest a line waits before it is sent. */
  readonly flushMs: number;
  /** Most lines in one event; a full batch is sent at once. */
  readonly maxLines: number;
}

export const DEFAULT_LOG_BATCHING: LogBatcherOptions = { flushMs: 100, maxLines: 200 };

/**
 * Collects a task's output lines into `log` events: one per stream, sent when `maxLines` lines
 * are waiting or `flushMs` after the first one came, whichever is first. `flush()` sends what
 * waits now (before a progress or exit event, so events stay in the order they happened).
 */
export class LogBatcher {
  private readonly pending: Record<OutputStream, string[]> = { stdout: [], stderr: [] };
  private timer: TimerHandle | undefined;

  constructor(
    private readonly sink: TaskEventSink,
    private readonly timers: Timers,
    private readonly options: LogBatcherOptions = DEFAULT_LOG_BATCHING,
  ) {}

  add(stream: OutputStream, line: string): void {
    const lines = this.pending[stream];
    lines.push(line);
    if (lines.length >= this.options.maxLines) this.send(stream);
    else this.timer ??= this.timers.setTimeout(() => this.flush(), this.options.flushMs);
  }

  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.send('stdout');
    this.send('stderr');
  }

  private send(stream: OutputStream): void {
    const lines = this.pending[stream];
    if (lines.length === 0) return;
    this.pending[stream] = [];
    this.sink.emit({ type: 'log', stream, lines });
  }
}
