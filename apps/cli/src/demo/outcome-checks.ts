import { JobState, type JobResult } from '@gantry/proto';
import { isTerminalState, jobStateName } from '../format/states';
import { type Observation } from './demo-tracker';

/** `batch-36-questions (job_...)`: how a problem names a job. */
export function jobLabel(o: Observation): string {
  return `${o.demo.name} (${o.id})`;
}

type ResultKind = NonNullable<JobResult['kind']>;

/**
 * The job's result of `kind` when it succeeded; otherwise the problem (not submitted, not ended,
 * not succeeded, no result of that kind).
 */
export function succeededWith<C extends ResultKind['$case']>(
  o: Observation | undefined,
  kind: C,
  what: string,
): { problem: string } | { result: Extract<ResultKind, { $case: C }> } {
  if (!o) return { problem: `the ${what} job was not submitted` };
  const name = jobLabel(o);
  if (!isTerminalState(o.job.state))
    return { problem: `${name} did not finish: still ${jobStateName(o.job.state)}` };
  if (o.job.state !== JobState.JOB_STATE_SUCCEEDED)
    return {
      problem:
        `${name} should have succeeded; it ${jobStateName(o.job.state)}: ${o.job.reason} ${o.job.message}`.trim(),
    };
  const result = o.job.result?.kind;
  if (result?.$case !== kind) return { problem: `${name} succeeded without a ${what} result` };
  return { result: result as Extract<ResultKind, { $case: C }> };
}

/** `q-03, q-09` (the first five, then how many more). */
export function few(ids: readonly string[]): string {
  return ids.length > 5
    ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`
    : ids.join(', ');
}
