/**
 * Turning one problem's judged rollouts into dataset lines (docs/job-kinds.md): rejection
 * sampling (`keep: accepted` keeps the accepted traces, `all` keeps every trace with its
 * score), the group filter (drop a problem whose answered samples all pass or all fail: no
 * learning signal), and the provenance of every kept trace.
 */
import type { RlSyntheticWorkload } from '@gantry/domain';
import type { CandidateVerdict } from '../common/verdict';
import type { Problem } from './problems';

/** One rollout of a problem after verification; `completion` null when it got no answer. */
export interface RolloutOutcome {
  readonly k: number;
  readonly completion: string | null;
  /** null exactly when `completion` is null. */
  readonly verdict: CandidateVerdict | null;
}

/** One line of the output dataset. */
export interface DatasetLine {
  readonly problem_id: string;
  readonly prompt: string;
  readonly completion: string;
  readonly extracted_answer: string | null;
  readonly score: number;
  readonly accepted: boolean;
  readonly provenance: {
    readonly job_id: string;
    readonly model: string;
    readonly revision: string;
    readonly engine: string;
    readonly sampling: {
      readonly temperature: number;
      readonly top_p: number;
      readonly max_tokens: number;
      readonly seed: number;
    };
    readonly seed: number;
    readonly sample_index: number;
    readonly verifier: string;
  };
}

/** A problem's counts: `n` answered samples, `c` of them accepted, `kept` dataset lines. */
export interface ProblemTally {
  readonly n: number;
  readonly c: number;
  /** Samples that got no answer (engine errors, an expired window). */
  readonly unanswered: number;
  readonly kept: number;
  /** True when the group filter dropped it (all or none of its answered samples passed). */
  readonly filtered: boolean;
}

/** What the dataset lines say about their job. */
export interface DatasetContext {
  readonly jobId: string;
  readonly spec: RlSyntheticWorkload;
  /** The engine that ran the rollouts (the job's, or the agents' default). */
  readonly engine: string;
}

/** The dataset lines of one problem (in sample order) and its tally. */
export function finishProblem(
  problem: Problem,
  outcomes: readonly RolloutOutcome[],
  context: DatasetContext,
): { readonly lines: DatasetLine[]; readonly tally: ProblemTally } {
  const { spec } = context;
  const answered = [...outcomes].filter((o) => o.completion !== null).sort((a, b) => a.k - b.k);
  const n = answered.length;
  const c = answered.filter((o) => o.verdict?.accepted === true).length;
  const filtered = spec.groupFilter && n > 0 && (c === n || c === 0);
  const lines = filtered
    ? []
    : answered
        .filter((o) => spec.keep === 'all' || o.verdict?.accepted === true)
        .map((o) => datasetLine(problem, o, context));
  return { lines, tally: { n, c, unanswered: outcomes.length - n, kept: lines.length, filtered } };
}

function datasetLine(
  problem: Problem,
  outcome: RolloutOutcome,
  { jobId, spec, engine }: DatasetContext,
): DatasetLine {
  const { sampling } = spec;
  return {
    problem_id: problem.id,
    prompt: problem.prompt,
    completion: outcome.completion!,
    extracted_answer: outcome.verdict?.extracted ?? null,
    score: outcome.verdict?.score ?? 0,
    accepted: outcome.verdict?.accepted === true,
    provenance: {
      job_id: jobId,
      model: spec.policyModel,
      revision: spec.revision,
      engine,
      sampling: {
        temperature: sampling.temperature,
        top_p: sampling.topP,
        max_tokens: sampling.maxTokens,
        seed: sampling.seed,
      },
      seed: sampling.seed + outcome.k,
      sample_index: outcome.k,
      verifier: spec.verifier,
    },
  };
}
