/**
 * A Gantry process started for a test (control plane or node agent from dist/): its JSON log
 * lines are parsed and kept, mirrored to a file for post-mortems, and can be awaited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '@gantry/testing';

/** A pause that does not keep the process alive. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export class ServiceProcess {
  readonly lines: LogLine[] = [];
  private readonly child: ChildProcess;
  private readonly file: WriteStream;
  private exited?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exitPromise: Promise<void>;

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string | undefined>,
    logDir: string,
  ) {
    this.file = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    this.child = spawn(process.execPath, ['--enable-source-maps', path.join(REPO_ROOT, script)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.file.write(`${line}\n`);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line, level: 'raw' });
        }
      });
    }
    this.exitPromise = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** Resolves with the first log line matching; fails early if the process exits. */
  async waitForLog(
    description: string,
    match: (line: LogLine) => boolean,
    timeoutMs = 30_000,
  ): Promise<LogLine> {
    return eventually(
      `${this.name}: ${description}`,
      () => {
        const found = this.lines.find(match);
        if (found) return found;
        if (this.exited)
          throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}); see its log`);
        return undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  async waitForExit(
    timeoutMs = 15_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await Promise.race([this.exitPromise, delay(timeoutMs)]);
    if (!this.exited) throw new Error(`${this.name} did not exit within ${timeoutMs} ms`);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it does not exit in time. Safe to call twice. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      this.signal('SIGTERM');
      await Promise.race([this.exitPromise, delay(graceMs)]);
      if (this.running) this.signal('SIGKILL');
      await this.exitPromise;
    }
    await new Promise<void>((resolve) => this.file.end(resolve));
  }
}
