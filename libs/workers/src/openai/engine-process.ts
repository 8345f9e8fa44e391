import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { TimerHandle, Timers } from '../ports';
import type { SpawnProcess } from '../process/process-backend';
import { signalGroup as defaultSignalGroup, type SignalGroup } from '../process/process-groups';
import { EngineStartError } from './engine-errors';
import { readLogTail } from './engine-log';

/** How an engine process ended. */
export interface EngineExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when it could not be spawned at all (e.g. `spawn vllm ENOENT`). */
  readonly spawnError?: string;
}

export interface EngineProcessOptions {
  /** Names the engine in messages: `vllm engine for org/m@main on GPUs 0,1`. */
  readonly label: string;
  readonly argv: readonly string[];
  /** The whole environment of the engine (nothing else of the agent's is passed on). */
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Where `GET /health` is probed, e.g. `http://127.0.0.1:8000`. */
  readonly baseUrl: string;
  readonly startTimeoutMs: number;
  readonly healthIntervalMs: number;
  readonly timers: Timers;
  readonly spawn?: SpawnProcess;
  readonly signalGroup?: SignalGroup;
}

/** How long one health probe may take before it counts as "not ready yet". */
const PROBE_TIMEOUT_MS = 5_000;

/** What an exit before readiness means, in words. */
export function describeExit(exit: EngineExit): string {
  if (exit.spawnError) return `could not be started: ${exit.spawnError}`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/**
 * One engine's process: spawned without a shell, leading its own process group, stdout and
 * stderr appended to its log file (the engine writes there directly, so its log outlives the
 * agent). `ready` settles once `GET /health` answers 200 (or rejects with EngineStartError when
 * the process exits first or `startTimeoutMs` passes); `exited` once the main process has ended,
 * after whatever it left in its group was killed.
 */
export class EngineProcess {
  readonly ready: Promise<void>;
  readonly exited: Promise<EngineExit>;
  private exit: EngineExit | undefined;
  private termSent = false;

  private constructor(
    private readonly o: EngineProcessOptions,
    private readonly child: ChildProcess,
    private readonly logStart: number,
  ) {
    const signal = o.signalGroup ?? defaultSignalGroup;
    this.exited = new Promise((resolve) => {
      let spawned = false;
      child.once('spawn', () => (spawned = true));
      child.once('error', (error) => {
        if (!spawned)
          resolve((this.exit = { code: null, signal: null, spawnError: error.message }));
      });
      child.once('exit', (code, sig) => {
        // An engine's helpers (tensor-parallel workers) die with it.
        if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
        resolve((this.exit = { code, signal: sig }));
      });
    });
    this.ready = this.waitReady();
    this.ready.catch(() => undefined); // whoever starts an engine awaits this; never unhandled
  }

  /** Appends a header line to the log file and spawns the engine. */
  static async start(options: EngineProcessOptions): Promise<EngineProcess> {
    const log = await open(options.logFile, 'a');
    try {
      const { size } = await log.stat();
      await log.write(
        `[gantry] starting ${options.label}: ${options.argv.join(' ')} ` +
          `(CUDA_VISIBLE_DEVICES=${options.env.CUDA_VISIBLE_DEVICES ?? ''})\n`,
      );
      const child = (options.spawn ?? nodeSpawn)(options.argv[0]!, options.argv.slice(1), {
        env: options.env,
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
      });
      return new EngineProcess(options, child, size);
    } finally {
      await log.close(); // the child holds its own copy of the descriptor
    }
  }

  /** How it ended; undefined while it runs. */
  get exitStatus(): EngineExit | undefined {
    return this.exit;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the engine's group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<EngineExit> {
    const pid = this.child.pid;
    if (this.exit || pid === undefined) return this.exited;
    const signal = this.o.signalGroup ?? defaultSignalGroup;
    if (graceMs <= 0) signal(pid, 'SIGKILL');
    else if (!this.termSent) signal(pid, 'SIGTERM');
    this.termSent = true;
    const kill = this.o.timers.setTimeout(() => signal(pid, 'SIGKILL'), Math.max(0, graceMs));
    return this.exited.finally(() => this.o.timers.clearTimeout(kill));
  }

  /** Probes `/health` every `healthIntervalMs` until 200, the start timeout, or an exit. */
  private async waitReady(): Promise<void> {
    const { timers, startTimeoutMs, healthIntervalMs } = this.o;
    let deadline: TimerHandle | undefined;
    const timeout = new Promise<string>((resolve) => {
      const why = `was not ready within ${startTimeoutMs / 1000} s`;
      deadline = timers.setTimeout(() => resolve(why), startTimeoutMs);
    });
    const gone = this.exited.then((exit) =>
      exit.spawnError ? describeExit(exit) : `${describeExit(exit)} before it was ready`,
    );
    const failed = Promise.race([timeout, gone]);
    try {
      for (;;) {
        const probed = await Promise.race([this.probe(), failed]);
        if (probed === true) return;
        const outcome =
          typeof probed === 'string'
            ? probed
            : await Promise.race([this.sleep(healthIntervalMs), failed]);
        if (typeof outcome === 'string') throw await this.failure(outcome);
      }
    } finally {
      if (deadline) timers.clearTimeout(deadline);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.o.timers.setTimeout(resolve, ms));
  }

  /** One `GET /health`: true on 200; false on any other answer, a refused connection or no answer in time. */
  private async probe(): Promise<boolean> {
    const controller = new AbortController();
    const timer = this.o.timers.setTimeout(() => controller.abort(), PROBE_TIMEOUT_MS);
    try {
      const response = await fetch(`${this.o.baseUrl}/health`, { signal: controller.signal });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    } finally {
      this.o.timers.clearTimeout(timer);
    }
  }

  /** The last lines this run of the engine wrote to its log (the file is shared by runs). */
  logTail(): Promise<string[]> {
    return readLogTail(this.o.logFile, this.logStart);
  }

  /** An EngineStartError saying `what` happened, with this run's log tail. */
  async failure(what: string): Promise<EngineStartError> {
    return new EngineStartError(`${this.o.label} ${what}`, await this.logTail());
  }
}
