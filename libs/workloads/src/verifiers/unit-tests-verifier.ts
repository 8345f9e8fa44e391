import { ValidationError } from '@gantry/domain';
import type { Sandbox, SandboxResult } from '../ports';
import { extractCode } from './code-extraction';
import {
  finishedTests,
  RUNNER_FILE,
  RUNNER_SOURCE,
  SOLUTION_FILE,
  TESTS_FILE,
} from './python-runner';
import type { Verdict, Verifier, VerifierProblem } from './verifier';

/** Options of the unit-tests verifier; each has a default. */
export interface UnitTestsOptions {
  /** Wall-clock limit of one run, in milliseconds; default 10,000 (10 s). */
  readonly timeLimitMs?: number;
  /** Address-space limit of one run, in bytes; default 536,870,912 (512 MiB). */
  readonly memoryLimitBytes?: number;
  /** The Python interpreter, looked up on the sandbox's PATH; default `python3`. */
  readonly python?: string;
}

/** What the unit-tests verifier needs injected. */
export interface UnitTestsDeps {
  readonly sandbox: Sandbox;
  /** A fresh unguessable token per run (see python-runner.ts); default `crypto.randomUUID`. */
  readonly token?: () => string;
}

export const UNIT_TESTS_DEFAULTS = {
  timeLimitMs: 10_000,
  memoryLimitBytes: 512 * 1024 * 1024,
  python: 'python3',
} as const;

const STDERR_TAIL_LINES = 8;
const STDERR_TAIL_CHARS = 800;

/**
 * `unit-tests` (Python): the candidate's code (its last fenced code block, see `extractCode`)
 * then the problem's tests, run in the sandbox within the time and memory limits and without
 * network. Accepted, score 1, when the tests ran to their end and the program exited 0 in time;
 * otherwise score 0, and `detail` says why (time limit, memory, an early exit, or the last
 * lines of stderr: the failed assertion). `extracted` is the code that ran.
 */
export class UnitTestsVerifier implements Verifier {
  readonly name = 'unit-tests';
  private readonly limits: Required<UnitTestsOptions>;
  private readonly token: () => string;

  constructor(
    private readonly deps: UnitTestsDeps,
    options: UnitTestsOptions = {},
  ) {
    this.limits = { ...UNIT_TESTS_DEFAULTS, ...definedOnly(options) };
    checkPositiveInteger('timeLimitMs', this.limits.timeLimitMs);
    checkPositiveInteger('memoryLimitBytes', this.limits.memoryLimitBytes);
    if (this.limits.python.trim() === '')
      throw ValidationError.field('python', 'must name a Python interpreter');
    this.token = deps.token ?? (() => globalThis.crypto.randomUUID());
  }

  async verify(candidate: string, problem: VerifierProblem): Promise<Verdict> {
    if (problem.tests === undefined || problem.tests.trim() === '')
      throw ValidationError.field(
        'tests',
        `problem "${problem.id}" has no tests, which the unit-tests verifier needs`,
      );
    const code = extractCode(candidate);
    const token = this.token();
    const result = await this.deps.sandbox.run({
      files: { [SOLUTION_FILE]: code, [TESTS_FILE]: problem.tests, [RUNNER_FILE]: RUNNER_SOURCE },
      argv: [this.limits.python, '-B', RUNNER_FILE],
      timeLimitMs: this.limits.timeLimitMs,
      memoryLimitBytes: this.limits.memoryLimitBytes,
      stdin: `${token}\n`,
    });
    const passed = !result.timedOut && result.exitCode === 0 && finishedTests(result.stdout, token);
    const detail = passed ? 'all tests passed' : this.failure(result);
    return { accepted: passed, score: passed ? 1 : 0, extracted: code, detail };
  }

  private failure(result: SandboxResult): string {
    const tail = stderrTail(result.stderr);
    const after = tail ? `: ${tail}` : '';
    if (result.timedOut) return `timed out after ${this.limits.timeLimitMs / 1000} s`;
    if (/\bMemoryError\b/.test(result.stderr))
      return `ran out of memory (limit ${mebibytes(this.limits.memoryLimitBytes)} MiB)${after}`;
    if (result.exitCode === 0) return 'exited before the tests finished (exit code 0)';
    if (result.signal !== null)
      return `killed by ${result.signal} (a crash, or the CPU-time or memory limit)${after}`;
    return `tests failed (exit code ${result.exitCode})${after}`;
  }
}

/** The last lines of stderr, bounded: where Python's traceback names the error. */
function stderrTail(stderr: string): string {
  const lines = stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
  return lines.length > STDERR_TAIL_CHARS ? `...${lines.slice(-STDERR_TAIL_CHARS)}` : lines;
}

function mebibytes(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}

function checkPositiveInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw ValidationError.field(field, `must be a positive whole number, got ${value}`);
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
