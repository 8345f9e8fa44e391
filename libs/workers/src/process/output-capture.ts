import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from '../events/line-splitter';
import { parseCheckpointLine } from '../events/checkpoint-protocol';
import { LogBatcher } from '../events/log-batcher';
import { parseProgressLine } from '../events/progress-protocol';
import type { OutputStream, TaskEventSink } from '../backend';
import type { Timers } from '../ports';

/**
 * A task's stdout and stderr: each line goes to the attempt's log file (`<stream> | <line>`)
 * and, batched, to `log` events; a stdout `GANTRY_PROGRESS` line becomes a `progress` event
 * instead (see progress-protocol.ts), sent after the lines before it; a stdout
 * `GANTRY_CHECKPOINT` line stays a log line and is followed by a `checkpoint` event (see
 * checkpoint-protocol.ts).
 */
export class OutputCapture {
  private readonly batcher: LogBatcher;
  private readonly splitters: LineSplitter[] = [];

  constructor(
    private readonly sink: TaskEventSink,
    timers: Timers,
    private readonly logFile: Writable | null,
  ) {
    this.batcher = new LogBatcher(sink, timers);
    this.logFile?.on('error', () => undefined); // a full disk must not kill the agent
  }

  attach(stream: OutputStream, readable: Readable | null): void {
    if (!readable) return;
    const splitter = new LineSplitter((line) => this.line(stream, line));
    this.splitters.push(splitter);
    readable.setEncoding('utf8');
    readable.on('data', (chunk: string) => splitter.write(chunk));
    readable.on('error', () => undefined); // EPIPE and the like end the stream; 'close' follows
  }

  /**
   * A line of the agent's own for the task's log (file and events), e.g. a preemption notice;
   * sent at once, so it comes before whatever the task writes in answer to it.
   */
  note(stream: OutputStream, line: string): void {
    this.logFile?.write(`${stream} | ${line}\n`);
    this.batcher.add(stream, line);
    this.batcher.flush();
  }

  /** Passes on partial last lines and whatever waits in the batcher. */
  drain(): void {
    for (const splitter of this.splitters) splitter.end();
    this.batcher.flush();
  }

  /** Flushes the log file to disk. */
  async close(): Promise<void> {
    if (!this.logFile || this.logFile.destroyed) return;
    this.logFile.end();
    await Promise.race([once(this.logFile, 'close'), once(this.logFile, 'error')]).catch(
      () => undefined,
    );
  }

  private line(stream: OutputStream, line: string): void {
    this.logFile?.write(`${stream} | ${line}\n`);
    const progress = stream === 'stdout' ? parseProgressLine(line) : undefined;
    if (progress) {
      this.batcher.flush();
      const { fraction, message } = progress;
      return this.sink.emit({ type: 'progress', fraction, message });
    }
    this.batcher.add(stream, line);
    const checkpoint = stream === 'stdout' ? parseCheckpointLine(line) : undefined;
    if (!checkpoint) return;
    this.batcher.flush();
    this.sink.emit({ type: 'checkpoint', message: checkpoint.message });
  }
}
