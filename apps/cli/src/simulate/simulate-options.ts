/**
 * `gantry simulate` flags, checked once with exact messages (exit 2 on a bad one). Every flag
 * has a documented default; see `gantry simulate --help` and docs/simulator.md.
 */
import {
  BASELINE_POLICY,
  DEFAULT_CHECKPOINT_INTERVAL_SECONDS,
  DEFAULT_TENANTS,
  policyNames,
} from '@gantry/scheduling';
import type { RenterDemandOptions } from '@gantry/scheduling';
import { UsageError } from '../errors/cli-errors';
import { parseRenters } from './renters-option';

/** Sized for Philly, the default trace: about twice its mean GPU demand (see docs/simulator.md). */
export const DEFAULT_CLUSTER = '94x8xV100';

export interface RawSimulateOptions {
  readonly trace: string;
  readonly cluster: string;
  readonly load: string;
  readonly policy?: string;
  readonly seed: string;
  readonly limit?: string;
  readonly tenants: string;
  readonly checkpointInterval: string;
  readonly html?: string;
  readonly tracesDir?: string;
  /** `--renters` alone is true; with a spec, the spec. */
  readonly renters?: string | boolean;
}

export interface SimulateOptions {
  readonly trace: string;
  readonly cluster: string;
  readonly load: number;
  /** Baseline first when it is named. */
  readonly policies: readonly string[];
  readonly seed: number;
  readonly limit: number | null;
  readonly tenants: number;
  readonly checkpointIntervalSeconds: number;
  readonly html: string | null;
  readonly tracesDir: string | null;
  /** Replay each policy again with this renter demand; null without --renters. */
  readonly renters: RenterDemandOptions | null;
}

function number(
  flag: string,
  text: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !check(value))
    throw new UsageError(`--${flag}: must be ${expected} (got '${text}')`);
  return value;
}

const whole = (n: number) => Number.isInteger(n);

/** The policies to run: the named ones (comma-separated), else every registered one. */
export function parsePolicies(text: string | undefined): string[] {
  const known = policyNames();
  const names =
    text === undefined
      ? known
      : text
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  if (names.length === 0)
    throw new UsageError(`--policy: name at least one of ${known.join(', ')}`);
  for (const name of names)
    if (!known.includes(name))
      throw new UsageError(`--policy: unknown policy '${name}' (known: ${known.join(', ')})`);
  const unique = [...new Set(names)];
  return unique.includes(BASELINE_POLICY)
    ? [BASELINE_POLICY, ...unique.filter((name) => name !== BASELINE_POLICY)]
    : unique;
}

export function parseSimulateOptions(raw: RawSimulateOptions): SimulateOptions {
  if (raw.trace.trim() === '') throw new UsageError('--trace: must name a trace or a CSV file');
  return {
    trace: raw.trace.trim(),
    cluster: raw.cluster.trim(),
    load: number('load', raw.load, (n) => n > 0 && n <= 1000, 'a number > 0 and <= 1000'),
    policies: parsePolicies(raw.policy),
    seed: number(
      'seed',
      raw.seed,
      (n) => whole(n) && n >= 0 && n <= 2 ** 32 - 1,
      'a whole number from 0 to 4294967295',
    ),
    limit:
      raw.limit === undefined
        ? null
        : number('limit', raw.limit, (n) => whole(n) && n >= 1, 'a whole number >= 1'),
    tenants: number(
      'tenants',
      raw.tenants,
      (n) => whole(n) && n >= 1 && n <= 1000,
      'a whole number from 1 to 1000',
    ),
    checkpointIntervalSeconds: number(
      'checkpoint-interval',
      raw.checkpointInterval,
      (n) => whole(n) && n >= 0,
      'a whole number of seconds >= 0 (0: jobs never checkpoint)',
    ),
    html: raw.html ?? null,
    tracesDir: raw.tracesDir ?? null,
    renters: parseRenters(raw.renters),
  };
}

export const SIMULATE_DEFAULTS = {
  trace: 'philly',
  cluster: DEFAULT_CLUSTER,
  load: '1',
  seed: '1',
  tenants: String(DEFAULT_TENANTS),
  checkpointInterval: String(DEFAULT_CHECKPOINT_INTERVAL_SECONDS),
};
