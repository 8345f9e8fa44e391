/**
 * The node agent, built to dist/ and started as a child process the way operators (and the
 * end-to-end tests) start it, with its JSON log lines parsed and kept for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { inheritedEnvironment } from '@gantry/config';
import { eventually } from '@gantry/testing';

export type LogLine = Record<string, unknown> & { msg?: string };

export class AgentProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** Starts `main` (from buildAgent) with the environment given on top of the inherited one. */
  constructor(main: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [main], {
      env: { ...inheritedEnvironment(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.lines.push({ msg: line, raw: true });
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitForLog(
    what: string,
    match: (line: LogLine) => boolean,
    timeoutMs = 15_000,
  ): Promise<LogLine> {
    return eventually(
      `agent log: ${what}`,
      () => {
        const found = this.lines.find(match);
        if (found) return found;
        if (!this.running) throw new Error(`the agent exited; stderr: ${this.stderr.join('\n')}`);
        return undefined;
      },
      { timeoutMs },
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call twice. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}
