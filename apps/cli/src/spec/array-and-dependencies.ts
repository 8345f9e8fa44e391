import { arrayIndices, type DependencyCondition as DomainCondition } from '@gantry/domain';
import { DependencyCondition } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';

/**
 * `gantry submit --after JOB[:ok|any|failed]` and `--array FIRST-LAST`: the flag text as the
 * spec and request want it. Shape mistakes are usage errors; what the server checks (a job id's
 * form, the array's size) is left to the server's own rules, run locally.
 */

const CONDITIONS: Readonly<Record<string, DomainCondition>> = {
  ok: 'after-ok',
  any: 'after-any',
  failed: 'after-failed',
  'after-ok': 'after-ok',
  'after-any': 'after-any',
  'after-failed': 'after-failed',
};

/** A dependency as a client writes it (protobuf JSON names), for parseJobSpec. */
export interface DependencyInput {
  readonly job_id: string;
  readonly condition: DomainCondition;
}

/**
 * `--after` values, repeated or comma-separated: `job_...` (after-ok), `job_...:any`,
 * `job_...:failed`, `job_...:ok` (also spelled `after-ok`, ...).
 */
export function parseAfter(values: readonly string[] | undefined): DependencyInput[] {
  const dependencies: DependencyInput[] = [];
  for (const value of (values ?? []).flatMap((v) => v.split(','))) {
    const text = value.trim();
    if (text === '') continue;
    const at = text.lastIndexOf(':');
    const jobId = at < 0 ? text : text.slice(0, at);
    const condition = at < 0 ? 'after-ok' : CONDITIONS[text.slice(at + 1).toLowerCase()];
    if (jobId === '' || condition === undefined)
      throw new UsageError(`--after: expected JOB[:ok|any|failed] (got '${value.trim()}')`);
    dependencies.push({ job_id: jobId, condition });
  }
  return dependencies;
}

/** The protobuf enum of a validated dependency condition. */
export function protoCondition(condition: DomainCondition): DependencyCondition {
  switch (condition) {
    case 'after-ok':
      return DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK;
    case 'after-any':
      return DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY;
    case 'after-failed':
      return DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED;
  }
}

/** `after-ok`, `after-any`, `after-failed` for people (`get`), from the protobuf enum. */
export function conditionName(condition: DependencyCondition): string {
  switch (condition) {
    case DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY:
      return 'after-any';
    case DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED:
      return 'after-failed';
    default:
      return 'after-ok';
  }
}

export interface ArrayRangeInput {
  readonly first: number;
  readonly last: number;
}

/**
 * `--array 0-99` (both ends included) or `--array 7` (one element). The range is then checked
 * with the server's rule (`array: must be first-last ...`, at most 10,000 elements).
 */
export function parseArray(text: string | undefined): ArrayRangeInput | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text);
  if (!match)
    throw new UsageError(`--array: must be FIRST-LAST like 0-99, or one index (got '${text}')`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  arrayIndices(first, last);
  return { first, last };
}
