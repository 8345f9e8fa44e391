import { CommanderError } from 'commander';
import { ConfigError } from '@gantry/config';
import { GantryError, ValidationError, type ErrorCode } from '@gantry/domain';
import { SpecFileError } from '../spec-file/spec-file-error';
import { UsageError } from './cli-errors';

/**
 * The exit codes of every `gantry` command, by kind of failure, so scripts can branch on them.
 * Documented in `gantry --help` and docs/cli.md.
 */
export const ExitCode = {
  Ok: 0,
  /** Anything not listed below. */
  Error: 1,
  /** Bad usage or INVALID_ARGUMENT. */
  Usage: 2,
  NotFound: 3,
  /** UNAUTHENTICATED or PERMISSION_DENIED (and no API key at all). */
  Auth: 4,
  /** The control plane cannot be reached. */
  Unavailable: 5,
  /** ALREADY_EXISTS or FAILED_PRECONDITION. */
  Conflict: 6,
  /** `watch` / `submit --wait`: the job failed. */
  JobFailed: 10,
  /** `watch` / `submit --wait`: the job was cancelled. */
  JobCancelled: 11,
  /** `results`: the job has not ended, so its results are not there yet. */
  NoResultsYet: 12,
  /** `lease watch` / `lease create --watch`: the lease was reclaimed. */
  LeaseReclaimed: 13,
  /** `lease watch` / `lease create --watch`: the lease ended unfunded or failed. */
  LeaseFailed: 14,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const BY_ERROR_CODE: Record<ErrorCode, ExitCodeValue> = {
  INVALID_ARGUMENT: ExitCode.Usage,
  NOT_FOUND: ExitCode.NotFound,
  UNAUTHENTICATED: ExitCode.Auth,
  PERMISSION_DENIED: ExitCode.Auth,
  UNAVAILABLE: ExitCode.Unavailable,
  ALREADY_EXISTS: ExitCode.Conflict,
  FAILED_PRECONDITION: ExitCode.Conflict,
  RESOURCE_EXHAUSTED: ExitCode.Error,
  ABORTED: ExitCode.Error,
  INTERNAL: ExitCode.Error,
};

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError)
    // Help and version arrive as "errors" with exit code 0; everything else is bad usage.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  if (error instanceof UsageError || error instanceof ConfigError) return ExitCode.Usage;
  if (error instanceof GantryError) return BY_ERROR_CODE[error.code];
  return ExitCode.Error;
}

/** The one line printed on stderr for an error (without the `gantry: error: ` prefix). */
export function describeError(error: unknown): string {
  if (error instanceof ValidationError)
    return error.violations
      .map((v) => (v.field ? `${v.field}: ${v.message}` : v.message))
      .join('; ');
  if (error instanceof ConfigError) return error.problems.join('; ');
  if (error instanceof Error) return error.message.replace(/\s*\n\s*/g, ' ');
  return String(error);
}

/**
 * The lines printed on stderr for an error, each after `gantry: error: `: one, or one per
 * problem of a spec file (`job.yaml:12: ...`).
 */
export function describeErrorLines(error: unknown): string[] {
  return error instanceof SpecFileError ? error.lines() : [describeError(error)];
}

/** The exit-code table shown at the end of `gantry --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0   ok
  1   any other error
  2   bad usage or invalid argument (INVALID_ARGUMENT)
  3   not found (NOT_FOUND)
  4   no or bad API key (UNAUTHENTICATED, PERMISSION_DENIED)
  5   control plane unreachable (UNAVAILABLE)
  6   conflict (ALREADY_EXISTS, FAILED_PRECONDITION)
  10  watch / submit --wait / results: the job failed
  11  watch / submit --wait / results: the job was cancelled
  12  results: the job has not ended yet (what it has so far is shown)
  13  lease watch / lease create --watch: the lease was reclaimed
  14  lease watch / lease create --watch: the lease ended unfunded or failed`;
