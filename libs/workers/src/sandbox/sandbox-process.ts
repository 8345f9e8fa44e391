import { spawn } from 'node:child_process';
import type { Clock } from '@gantry/domain';
import type { SandboxResult } from '@gantry/workloads';
import type { Timers, TimerHandle } from '../ports';
import type { SignalGroup } from '../process/process-groups';
import { BoundedOutput } from './bounded-output';

/** A sandbox run's result, with whether each stream was cut to the output limit. */
export interface ProcessSandboxResult extends SandboxResult {
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
}

/** One sandboxed process to run: the full command line (isolation and limits included). */
export interface SandboxProcessOptions {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
  readonly timeLimitMs: number;
  /** Per stream. */
  readonly outputLimitBytes: number;
  /** After the program exits, how long to wait for its pipes to close. */
  readonly closeTimeoutMs: number;
  readonly timers: Timers;
  readonly clock: Clock;
  readonly signalGroup: SignalGroup;
}

// unshare --fork exits 1 with this message when its child (the program) is killed by SIGKILL
// (the CPU-time limit, the kernel's OOM killer) instead of dying by the same signal.
const UNSHARE_SIGKILL = /(?:^|\n)unshare: sigprocmask unblock failed[^\n]*\n?$/;

/**
 * Spawns the command without a shell, in a process group of its own, writes `stdin`, reads
 * both streams into bounded buffers, kills the whole group with SIGKILL at the time limit
 * (`timedOut`) and again once the program exits (whatever it left behind), and resolves when
 * its pipes are closed (or `closeTimeoutMs` after the exit, for a pipe an escaped process
 * holds). Rejects only when the command cannot be started.
 */
export function runSandboxProcess(o: SandboxProcessOptions): Promise<ProcessSandboxResult> {
  return new Promise((resolve, reject) => {
    const started = o.clock.now();
    const stdout = new BoundedOutput(o.outputLimitBytes);
    const stderr = new BoundedOutput(o.outputLimitBytes);
    const child = spawn(o.command[0]!, o.command.slice(1), {
      cwd: o.cwd,
      env: { ...o.env },
      detached: true, // its own process group: the group id is its pid
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const timers = new Set<TimerHandle>();
    const after = (ms: number, callback: () => void) => {
      const handle = o.timers.setTimeout(callback, ms);
      timers.add(handle);
    };
    const clearTimers = () => {
      for (const handle of timers) o.timers.clearTimeout(handle);
      timers.clear();
    };
    const killGroup = () => {
      if (child.pid !== undefined) o.signalGroup(child.pid, 'SIGKILL');
    };
    let spawned = false;
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let finished = false;

    const finish = () => {
      if (finished || !exit) return;
      finished = true;
      clearTimers();
      resolve(result(exit, timedOut, stdout, stderr, o.clock.now() - started));
    };

    child.stdout.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    for (const stream of [child.stdin, child.stdout, child.stderr])
      stream.on('error', () => undefined); // EPIPE: a program that never reads its stdin
    child.stdin.end(o.stdin);

    child.once('spawn', () => {
      spawned = true;
      after(o.timeLimitMs, () => {
        timedOut = true;
        killGroup();
      });
    });
    child.once('error', (error) => {
      if (spawned) return;
      clearTimers();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      clearTimers();
      killGroup(); // what the program left in its group
      after(o.closeTimeoutMs, () => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      });
    });
    child.once('close', finish);
  });
}

function result(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  timedOut: boolean,
  stdout: BoundedOutput,
  stderr: BoundedOutput,
  durationMs: number,
): ProcessSandboxResult {
  let { code, signal } = exit as { code: number | null; signal: string | null };
  let errText = stderr.text();
  if (code === 1 && UNSHARE_SIGKILL.test(errText)) {
    [code, signal] = [null, 'SIGKILL'];
    errText = errText.replace(UNSHARE_SIGKILL, '');
  }
  return {
    exitCode: signal !== null ? null : code,
    signal,
    stdout: stdout.text(),
    stderr: errText,
    timedOut,
    durationMs,
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
  };
}
