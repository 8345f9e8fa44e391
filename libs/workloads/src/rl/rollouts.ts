/**
 * An RL job's request lines (ADR 9): K samples per problem as batch requests, sample `k` with
 * `custom_id = "<problem id>#<k>"` and `seed = sampling.seed + k`, the body per endpoint (the
 * prompt as one user message for chat, as `prompt` for completions). Problems keep their file
 * order and each problem's samples are consecutive, so a shard holds whole groups when it can.
 */
import type { InferenceEndpoint, SamplingParams } from '@gantry/domain';
import type { BatchRequest } from '../batch/batch-request';
import { samplingBody } from '../common/engine-answer';
import type { Problem } from './problems';

/** What the rollouts of a job share. */
export interface RolloutJob {
  readonly model: string;
  readonly endpoint: InferenceEndpoint;
  readonly samplesPerProblem: number;
  readonly sampling: SamplingParams;
}

/** The custom_id of sample `k` of a problem. */
export function rolloutId(problemId: string, k: number): string {
  return `${problemId}#${k}`;
}

/** The problem id and sample index of a rollout's custom_id (split at its last '#'); null if none. */
export function parseRolloutId(
  customId: string,
): { readonly problemId: string; readonly k: number } | null {
  const at = customId.lastIndexOf('#');
  const k = Number(customId.slice(at + 1));
  if (at <= 0 || !/^\d+$/.test(customId.slice(at + 1)) || !Number.isSafeInteger(k)) return null;
  return { problemId: customId.slice(0, at), k };
}

/** The request lines of every rollout, problem by problem, sample by sample. */
export function planRollouts(problems: readonly Problem[], job: RolloutJob): BatchRequest[] {
  const requests: BatchRequest[] = [];
  for (const problem of problems) {
    for (let k = 0; k < job.samplesPerProblem; k++) {
      const sampling = { ...job.sampling, seed: job.sampling.seed + k };
      requests.push({
        index: requests.length,
        customId: rolloutId(problem.id, k),
        url: job.endpoint,
        body: samplingBody(job.endpoint, job.model, problem.prompt, sampling),
      });
    }
  }
  return requests;
}
