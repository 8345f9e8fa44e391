/**
 * An RL job's figures (docs/job-kinds.md) from its problems' tallies. pass@1 is the mean of c/n
 * over problems with an answered sample; pass@k (k = K) the mean of the unbiased estimator over
 * problems with all K samples answered (the estimator needs n >= k), null when there are none.
 */
import type { ProblemTally } from './dataset';
import { passAtK } from './pass-at-k';

export interface RlStats {
  readonly problems: number;
  /** Answered samples. */
  readonly samples: number;
  /** Samples with no answer (left out of every figure below). */
  readonly samplesUnanswered: number;
  readonly accepted: number;
  /** accepted / samples; 0 when there are no samples. */
  readonly acceptanceRate: number;
  readonly passAt1: number | null;
  readonly passAtK: number | null;
  readonly k: number;
  /** Problems whose answered samples all passed / none passed (the group filter drops them). */
  readonly groupsAllPassed: number;
  readonly groupsNonePassed: number;
  /** Dataset lines. */
  readonly kept: number;
}

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/** The figures of a job with K samples per problem. */
export function rlStats(tallies: readonly ProblemTally[], k: number): RlStats {
  const answered = tallies.filter((t) => t.n > 0);
  const samples = tallies.reduce((s, t) => s + t.n, 0);
  const accepted = tallies.reduce((s, t) => s + t.c, 0);
  return {
    problems: tallies.length,
    samples,
    samplesUnanswered: tallies.reduce((s, t) => s + t.unanswered, 0),
    accepted,
    acceptanceRate: samples === 0 ? 0 : accepted / samples,
    passAt1: mean(answered.map((t) => t.c / t.n)),
    passAtK: mean(tallies.filter((t) => t.n >= k).map((t) => passAtK(t.n, t.c, k))),
    k,
    groupsAllPassed: answered.filter((t) => t.c === t.n).length,
    groupsNonePassed: answered.filter((t) => t.c === 0).length,
    kept: tallies.reduce((s, t) => s + t.kept, 0),
  };
}

/** The snake_case JSON of the figures, as `Job.result` carries them, with the dataset's file. */
export function rlStatsJson(stats: RlStats, datasetFileId: string): Record<string, unknown> {
  return {
    problems: stats.problems,
    samples: stats.samples,
    samples_unanswered: stats.samplesUnanswered,
    accepted: stats.accepted,
    acceptance_rate: stats.acceptanceRate,
    pass_at_1: stats.passAt1,
    pass_at_k: stats.passAtK,
    k: stats.k,
    groups_all_passed: stats.groupsAllPassed,
    groups_none_passed: stats.groupsNonePassed,
    kept: stats.kept,
    dataset_file_id: datasetFileId,
  };
}
