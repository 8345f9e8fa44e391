import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { START_MARKER } from './log-tail';
import { killTree, listProcesses, processTree, type ListProcesses } from './process-tree';

export interface ChildSpec {
  /** Shown to people: `control-plane`, `node-1`, `redis`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The child's whole environment (nothing is inherited implicitly). */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Children with a higher tier are stopped first (agents, then control plane, then Redis). */
  readonly tier: number;
}

export interface ChildExit {
  readonly name: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly logFile: string;
}

export type SpawnFn = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

interface Managed {
  readonly spec: ChildSpec;
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  done: boolean;
}

/**
 * Runs the processes of a local cluster. Each child gets its own process group (so a terminal's
 * Ctrl-C reaches only `gantry up`, which then stops the children in order) and writes its output
 * to a log file. The first child to exit on its own is reported; stopping is idempotent: SIGTERM
 * by tier, SIGKILL to the whole group after the grace time, or at once after `kill()`.
 */
export class Supervisor {
  private readonly children: Managed[] = [];
  private stopping: Promise<void> | undefined;
  private firstFailure: ChildExit | undefined;
  private readonly failureListeners: ((exit: ChildExit) => void)[] = [];

  constructor(
    private readonly graceMs: number,
    private readonly spawnFn: SpawnFn = spawn,
    private readonly processes: ListProcesses = listProcesses,
  ) {}

  /** Starts a child; rejects when it cannot be started (no such program). */
  async start(spec: ChildSpec): Promise<void> {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    const log = openSync(spec.logFile, 'a');
    writeSync(
      log,
      `${START_MARKER}${spec.name} at ${new Date().toISOString()}: ${spec.command} ${spec.args.join(' ')}\n`,
    );
    let child: ChildProcess;
    try {
      child = this.spawnFn(spec.command, spec.args, {
        env: spec.env,
        stdio: ['ignore', log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new Error(`cannot start ${spec.name} (${spec.command}): ${error.message}`)),
      );
    });
    const managed: Managed = {
      spec,
      process: child,
      done: false,
      exited: new Promise<ChildExit>((resolve) => {
        child.once('exit', (code, signal) => {
          managed.done = true;
          const exit = { name: spec.name, code, signal, logFile: spec.logFile };
          if (!this.stopping && !this.firstFailure) {
            this.firstFailure = exit;
            for (const listener of this.failureListeners) listener(exit);
          }
          resolve(exit);
        });
      }),
    };
    this.children.push(managed);
  }

  /** The first child that exited while nobody asked it to, if any. */
  get failure(): ChildExit | undefined {
    return this.firstFailure;
  }

  /** Calls back once, when a child exits on its own. */
  onFailure(listener: (exit: ChildExit) => void): void {
    if (this.firstFailure) listener(this.firstFailure);
    else this.failureListeners.push(listener);
  }

  /** Stops every child, highest tier first; safe to call more than once. */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopTiers();
    return this.stopping;
  }

  /** SIGKILLs every child with everything it started, now (a second Ctrl-C). */
  async kill(): Promise<void> {
    const all = await this.processes();
    for (const child of this.children) this.killAll(child, all);
  }

  private async stopTiers(): Promise<void> {
    const tiers = [...new Set(this.children.map((c) => c.spec.tier))].sort((a, b) => b - a);
    for (const tier of tiers) {
      const group = this.children.filter((c) => c.spec.tier === tier);
      await Promise.all(group.map((child) => this.stopOne(child)));
    }
  }

  private async stopOne(child: Managed): Promise<void> {
    if (child.done) return;
    this.signal(child, 'SIGTERM', false);
    const timer = setTimeout(() => {
      void this.processes().then((all) => this.killAll(child, all));
    }, this.graceMs);
    await child.exited;
    clearTimeout(timer);
    // Whatever the child left in its group goes with it.
    this.signal(child, 'SIGKILL', true);
  }

  /** The child's whole tree (tasks in their own groups included), before it is reparented. */
  private killAll(child: Managed, all: Awaited<ReturnType<ListProcesses>>): void {
    const pid = child.process.pid;
    if (pid === undefined || child.done) return;
    const tree = processTree(all, pid);
    killTree(tree.length > 0 ? tree : [{ pid, ppid: 0, pgid: pid }], (target) => {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
  }

  private signal(child: Managed, signal: NodeJS.Signals, group: boolean): void {
    const pid = child.process.pid;
    if (pid === undefined) return;
    try {
      if (group) process.kill(-pid, signal);
      else if (!child.done) child.process.kill(signal);
    } catch {
      // Already gone.
    }
  }
}
