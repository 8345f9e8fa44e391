import { type Duration, type PriorityClass } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { parseDuration } from './duration';

/** `gantry classes put`'s flags as commander hands them over. */
export interface ClassFlags {
  readonly priority: string;
  /** `--preemptible` true, `--no-preemptible` false, neither undefined. */
  readonly preemptible?: boolean;
  readonly minRuntime?: string;
  readonly grace?: string;
}

/**
 * What `put` sends for what is not given (put replaces the whole class): preemptible, no
 * minimum runtime, and 30 s between SIGTERM and SIGKILL (Kubernetes' default grace period).
 */
export const CLASS_DEFAULTS = {
  preemptible: true,
  minRuntimeSeconds: 0,
  gracePeriodSeconds: 30,
} as const;

export function toDuration(seconds: number): Duration {
  return { seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) };
}

/** Seconds of a protobuf Duration; undefined when it is unset. */
export function durationSeconds(duration: Duration | undefined): number | undefined {
  return duration === undefined ? undefined : duration.seconds + duration.nanos / 1e9;
}

/** `--priority`: a whole number (the message has no int32 for `1.5`); the server checks 0-1000. */
export function parsePriority(text: string): number {
  const priority = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(priority))
    throw new UsageError(`--priority: must be a whole number like 500 (got '${text}')`);
  return priority;
}

/** The class `put` sends, every default applied, so what is stored is what was shown. */
export function classFromFlags(name: string, flags: ClassFlags): PriorityClass {
  const minRuntime =
    flags.minRuntime === undefined
      ? CLASS_DEFAULTS.minRuntimeSeconds
      : parseDuration(flags.minRuntime, '--min-runtime');
  const grace =
    flags.grace === undefined
      ? CLASS_DEFAULTS.gracePeriodSeconds
      : parseDuration(flags.grace, '--grace');
  return {
    name,
    priority: parsePriority(flags.priority),
    preemptible: flags.preemptible ?? CLASS_DEFAULTS.preemptible,
    minRuntime: toDuration(minRuntime),
    gracePeriod: toDuration(grace),
  };
}
