import { ValidationError, type FieldViolation } from '@gantry/domain';
import type { SandboxRequest } from '@gantry/workloads';

/**
 * Checks a sandbox request once, before anything is written or run: file names are plain names
 * (no directories, no `.` or `..`, no NUL), argv names a program, the limits are positive
 * whole numbers. Throws a `ValidationError` naming each bad field.
 */
export function checkSandboxRequest(request: SandboxRequest): void {
  const violations: FieldViolation[] = [];
  for (const name of Object.keys(request.files)) {
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name))
      violations.push({
        field: `files[${JSON.stringify(name)}]`,
        message: 'must be a plain file name (no directories)',
      });
  }
  if (request.argv.length === 0 || request.argv[0]!.trim() === '')
    violations.push({ field: 'argv', message: 'must name a program' });
  if (request.argv.some((arg) => arg.includes('\0')))
    violations.push({ field: 'argv', message: 'must not contain NUL characters' });
  for (const field of ['timeLimitMs', 'memoryLimitBytes'] as const) {
    const value = request[field];
    if (!Number.isSafeInteger(value) || value <= 0)
      violations.push({ field, message: `must be a positive whole number, got ${value}` });
  }
  if (violations.length > 0) throw new ValidationError(violations);
}

/** The limits a program runs under, as `prlimit` options (see `limitCommand`). */
export interface ResourceLimits {
  readonly memoryLimitBytes: number;
  /** The CPU-time backstop, in whole seconds. */
  readonly cpuSeconds: number;
  readonly fileSizeLimitBytes: number;
}

/**
 * `prlimit` in front of the program: an address-space limit (`--as`, what Python's allocator
 * hits as MemoryError), a CPU-time limit (`--cpu`, a backstop for the wall-clock limit in case
 * the agent loses track), a file-size limit (`--fsize`, so a program cannot fill the disk)
 * and no core dumps.
 */
export function limitCommand(limits: ResourceLimits): string[] {
  return [
    'prlimit',
    `--as=${limits.memoryLimitBytes}`,
    `--cpu=${limits.cpuSeconds}`,
    `--fsize=${limits.fileSizeLimitBytes}`,
    '--core=0',
    '--',
  ];
}
