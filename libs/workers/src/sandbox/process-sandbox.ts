import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { systemClock, ValidationError, type Clock } from '@gantry/domain';
import type { Sandbox, SandboxRequest } from '@gantry/workloads';
import { systemTimers, type Timers } from '../ports';
import { signalGroup, type SignalGroup } from '../process/process-groups';
import {
  detectNetworkIsolation,
  NETWORK_ISOLATIONS,
  type NetworkIsolation,
} from './network-isolation';
import { RunSlots } from './run-slots';
import { checkSandboxRequest, limitCommand } from './sandbox-request';
import { runSandboxProcess, type ProcessSandboxResult } from './sandbox-process';

/** Options of `ProcessSandbox.create`; each has a default. */
export interface ProcessSandboxOptions {
  /** Where the throwaway directories are made; default the OS temp dir. */
  readonly root?: string;
  /** PATH inside the sandbox, where argv[0] is looked up; default `/usr/local/bin:/usr/bin:/bin`. */
  readonly path?: string;
  /** LANG inside the sandbox; default `C.UTF-8`. */
  readonly lang?: string;
  /** Bytes kept of each of stdout and stderr; default 65,536 (64 KiB). */
  readonly outputLimitBytes?: number;
  /** Largest file a program may write, in bytes; default 67,108,864 (64 MiB). */
  readonly fileSizeLimitBytes?: number;
  /** Runs at once; more wait their turn. Default null: no limit. */
  readonly maxConcurrentRuns?: number | null;
  /** After a program exits, how long to wait for its output pipes to close; default 1,000 ms. */
  readonly closeTimeoutMs?: number;
  /** Isolations tried in order at creation; default `NETWORK_ISOLATIONS`. */
  readonly isolations?: readonly NetworkIsolation[];
  readonly timers?: Timers;
  readonly clock?: Clock;
  readonly signalGroup?: SignalGroup;
}

export const PROCESS_SANDBOX_DEFAULTS = {
  path: '/usr/local/bin:/usr/bin:/bin',
  lang: 'C.UTF-8',
  outputLimitBytes: 64 * 1024,
  fileSizeLimitBytes: 64 * 1024 * 1024,
  maxConcurrentRuns: null,
  closeTimeoutMs: 1_000,
} as const;

type Settings = Omit<
  Required<ProcessSandboxOptions>,
  'isolations' | 'maxConcurrentRuns' | 'root'
> & { readonly root: string };

/**
 * Runs untrusted programs (the `Sandbox` port) as local processes. Each run gets a fresh
 * directory (mkdtemp under `root`, removed afterwards however the run ends) holding the
 * request's files; argv runs there, without a shell, in its own process group, under
 * `unshare` (no network, its own PID namespace: see network-isolation.ts) and `prlimit`
 * (address space, CPU time, file size), with an environment of PATH, LANG, and HOME and
 * TMPDIR set to the directory, nothing of the agent's. At the time limit, and when the
 * program exits, the whole group is killed with SIGKILL; the PID namespace takes down any
 * process that left the group. stdout and stderr are kept up to `outputLimitBytes` each.
 *
 * The program runs as its PID namespace's init: signals it sends itself with their default
 * action are ignored. It runs as the agent's user (root in its user namespace), so an agent
 * run as root gives it root's file access: run the agent as an unprivileged user.
 *
 * Made by `create`, which finds the isolation that works on this machine once and refuses
 * (FailedPreconditionError) when none does: programs never run with network.
 */
export class ProcessSandbox implements Sandbox {
  private readonly slots: RunSlots;
  private readonly found = new Set<string>();

  private constructor(
    readonly isolation: NetworkIsolation,
    private readonly settings: Settings,
    maxConcurrentRuns: number | null,
  ) {
    this.slots = new RunSlots(maxConcurrentRuns);
  }

  static async create(options: ProcessSandboxOptions = {}): Promise<ProcessSandbox> {
    const defined = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    ) as ProcessSandboxOptions;
    const settings: Settings = {
      ...PROCESS_SANDBOX_DEFAULTS,
      root: tmpdir(),
      timers: systemTimers,
      clock: systemClock,
      signalGroup,
      ...defined,
    };
    const maxConcurrentRuns = options.maxConcurrentRuns ?? null;
    checkOptions(settings, maxConcurrentRuns);
    const isolation = await detectNetworkIsolation(options.isolations ?? NETWORK_ISOLATIONS, {
      PATH: settings.path,
      LANG: settings.lang,
    });
    return new ProcessSandbox(isolation, settings, maxConcurrentRuns);
  }

  /** Runs now and waiting for a slot. */
  get usage(): { readonly running: number; readonly waiting: number } {
    return this.slots.usage;
  }

  async run(request: SandboxRequest): Promise<ProcessSandboxResult> {
    checkSandboxRequest(request);
    return this.slots.with(async () => {
      await this.checkProgram(request.argv[0]!);
      const dir = await mkdtemp(join(this.settings.root, 'gantry-sandbox-'));
      try {
        for (const [name, content] of Object.entries(request.files))
          await writeFile(join(dir, name), content);
        return await this.runIn(dir, request);
      } finally {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    });
  }

  private runIn(dir: string, request: SandboxRequest): Promise<ProcessSandboxResult> {
    const s = this.settings;
    const limits = limitCommand({
      memoryLimitBytes: request.memoryLimitBytes,
      cpuSeconds: Math.ceil(request.timeLimitMs / 1000) + 1,
      fileSizeLimitBytes: s.fileSizeLimitBytes,
    });
    return runSandboxProcess({
      command: [...this.isolation.prefix, ...limits, ...request.argv],
      cwd: dir,
      env: { PATH: s.path, HOME: dir, TMPDIR: dir, LANG: s.lang },
      stdin: request.stdin ?? '',
      timeLimitMs: request.timeLimitMs,
      outputLimitBytes: s.outputLimitBytes,
      closeTimeoutMs: s.closeTimeoutMs,
      timers: s.timers,
      clock: s.clock,
      signalGroup: s.signalGroup,
    });
  }

  /**
   * A program missing from PATH is the host's mistake, not the candidate's: say so, rather
   * than fail every run with exit code 127. (A path is not checked: it may name a request file.)
   */
  private async checkProgram(program: string): Promise<void> {
    if (program.includes('/') || this.found.has(program)) return;
    for (const dir of this.settings.path.split(delimiter)) {
      const place = join(dir, program);
      const ok = await access(place, constants.X_OK).then(
        () => true,
        () => false,
      );
      if (!ok) continue;
      this.found.add(program);
      return;
    }
    throw ValidationError.field(
      'argv',
      `program "${program}" is not an executable on the sandbox's PATH (${this.settings.path})`,
    );
  }
}

function checkOptions(settings: Settings, maxConcurrentRuns: number | null): void {
  const positive: [string, number][] = [
    ['outputLimitBytes', settings.outputLimitBytes],
    ['fileSizeLimitBytes', settings.fileSizeLimitBytes],
    ['closeTimeoutMs', settings.closeTimeoutMs],
  ];
  if (maxConcurrentRuns !== null) positive.push(['maxConcurrentRuns', maxConcurrentRuns]);
  for (const [field, value] of positive)
    if (!Number.isSafeInteger(value) || value <= 0)
      throw ValidationError.field(field, `must be a positive whole number, got ${value}`);
  if (settings.path.trim() === '') throw ValidationError.field('path', 'must not be empty');
}
