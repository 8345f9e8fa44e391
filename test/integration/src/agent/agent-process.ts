/**
 * The node agent, built to dist/ and started as a child process the way operators (and the
 * end-to-end tests) start it, with its JSON log lines parsed and kept for assertions.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { inheritedEnvironment } from '@gantry/config';
import { eventually } from './eventually';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export type LogLine = Record<string, unknown> & { msg?: string };

/**
 * Builds apps/node-agent (and the libs) into dist/ with SWC (well under a second) and copies the
 * result to a folder of this test worker's own, so that a build by a parallel worker (or anyone
 * else) cannot pull the files from under a running test. Returns the copy's main.js.
 */
export async function buildAgent(): Promise<string> {
  const dist = path.join(REPO_ROOT, 'dist');
  const lock = path.join(dist, '.node-agent-build.lock');
  mkdirSync(dist, { recursive: true });
  const deadline = Date.now() + 60_000;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // stale
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const copy = path.join(dist, '.agent-it', String(process.pid));
  try {
    execFileSync(process.execPath, ['tools/build.mjs', 'apps/node-agent'], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
    rmSync(copy, { recursive: true, force: true });
    cpSync(path.join(dist, 'apps/node-agent'), path.join(copy, 'apps/node-agent'), {
      recursive: true,
    });
    cpSync(path.join(dist, 'libs'), path.join(copy, 'libs'), { recursive: true });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return path.join(copy, 'apps/node-agent/src/main.js');
}

/** Removes this worker's copy of the built agent. */
export function removeAgentBuild(main: string): void {
  const copy = path.resolve(main, '../../../..');
  rmSync(copy, { recursive: true, force: true });
  try {
    rmdirSync(path.dirname(copy)); // the last worker removes the parent too
  } catch {
    // another worker's copy is still there
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

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
      timeoutMs,
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
