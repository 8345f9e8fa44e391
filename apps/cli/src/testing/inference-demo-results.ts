import { Job, JobState, type JobResult } from '@gantry/proto';
import { firstObservation } from '../demo/demo-tracker';
import { type JsonLine } from '../demo/inference-files';
import { type InferenceOutcome } from '../demo/inference-outcome';
import { inferenceJobs, type InferencePlan } from '../demo/inference-workload';

/** The job ids a healthy run's results refer to (the dataset's provenance names the RL job). */
export interface DemoJobIds {
  readonly batch: string;
  readonly reasoning: string;
  readonly rl: string;
}

/** Samples that passed per RL problem: two all-passed groups, one none-passed, the rest mixed. */
export const PASSED_PER_PROBLEM = [4, 3, 2, 4, 1, 3, 0, 3];

const FILES = { output: 'file_out', errors: 'file_err', dataset: 'file_dataset' };

const succeeded = (id: string, result: JobResult): Job => ({
  ...Job.fromPartial({ id, state: JobState.JOB_STATE_SUCCEEDED, reason: 'Completed' }),
  result,
});

/** An engine's chat answer ending with `\boxed{value}`. */
function answerLine(n: number, customId: string, value: string): JsonLine {
  const content = `Working it through gives ${value}. The answer is \\boxed{${value}}.`;
  return {
    id: `req_${n}`,
    custom_id: customId,
    response: { status_code: 200, body: { choices: [{ message: { content } }] } },
    error: null,
  };
}

/**
 * What a healthy cluster gives for the demo's inference jobs, as a stand-in for one (named so):
 * the three jobs succeeded with consistent results, and the files they produced. Every third
 * batch answer is wrong by one, as the simulated model is wrong some of the time.
 */
export function healthyInferenceResults(plan: InferencePlan, ids: DemoJobIds) {
  const { questions } = plan.batch;
  const output = questions.map((q, i) =>
    answerLine(i + 1, q.id, i % 3 === 2 ? String(Number(q.answer) + 1) : q.answer),
  );
  const k = plan.rl.samplesPerProblem;
  const passed = plan.rl.problems.map((_, i) => PASSED_PER_PROBLEM[i % PASSED_PER_PROBLEM.length]!);
  const accepted = passed.reduce((a, b) => a + b, 0);
  const allPassed = passed.filter((c) => c === k).length;
  const dataset = plan.rl.problems.flatMap((p, i) =>
    passed[i]! === k
      ? []
      : Array.from({ length: passed[i]! }, (_, s) => ({
          problem_id: p.id,
          prompt: p.question,
          completion: `The answer is \\boxed{${p.answer}}.`,
          extracted_answer: p.answer,
          score: 1,
          accepted: true,
          provenance: { job_id: ids.rl, seed: s, sample_index: s },
        })),
  );
  const samples = plan.rl.problems.length * k;
  const step = (id: string, calls: number, extra: object = {}) => ({
    id,
    items: calls || 1,
    calls,
    answer: '',
    accepted: 0,
    ran: true,
    ...extra,
  });
  const jobs = {
    batch: succeeded(ids.batch, {
      kind: {
        $case: 'batch',
        batch: {
          status: 'completed',
          requestCounts: { total: questions.length, completed: questions.length, failed: 0 },
          outputFileId: FILES.output,
          errorFileId: FILES.errors,
          expiresAt: undefined,
          errors: [],
        },
      },
    }),
    reasoning: succeeded(ids.reasoning, {
      kind: {
        $case: 'reasoning',
        reasoning: {
          answer: plan.reasoning.answer,
          accepted: true,
          stoppedEarly: false,
          callsMade: 12,
          callsSavedCache: 2,
          callsSavedInflight: 6,
          tokens: 441,
          stopReason: '',
          steps: [
            step('draft', 8),
            step('quick', 0, { answer: plan.reasoning.answer }),
            step('more', 12),
            step('check', 0, { items: 12, accepted: 11 }),
            step('final', 0, { answer: plan.reasoning.answer }),
          ],
        },
      },
    }),
    rl: succeeded(ids.rl, {
      kind: {
        $case: 'rlSynthetic',
        rlSynthetic: {
          status: 'completed',
          problems: plan.rl.problems.length,
          samples,
          accepted,
          acceptanceRate: accepted / samples,
          passAt1: passed.reduce((s, c) => s + c / k, 0) / passed.length,
          passAtK: passed.filter((c) => c > 0).length / passed.length,
          k,
          groupsAllPassed: allPassed,
          groupsNonePassed: passed.filter((c) => c === 0).length,
          kept: accepted - k * allPassed,
          datasetFileId: FILES.dataset,
          requestCounts: { total: samples, completed: samples, failed: 0 },
          errors: [],
        },
      },
    }),
  };
  const files: Record<string, readonly JsonLine[]> = {
    [FILES.output]: output,
    [FILES.errors]: [],
    [FILES.dataset]: dataset,
  };
  return { jobs, files };
}

/** A healthy run's outcome, as collectOutcome would read it. */
export function healthyOutcome(plan: InferencePlan): InferenceOutcome {
  const ids = { batch: 'job_batch', reasoning: 'job_reasoning', rl: 'job_rl' };
  const { jobs, files } = healthyInferenceResults(plan, ids);
  const [batch, reasoning, rl] = inferenceJobs(plan, {
    requestsFileId: 'file_requests',
    problemsFileId: 'file_problems',
  });
  return {
    plan,
    batch: {
      observation: firstObservation(batch!, jobs.batch),
      output: files[FILES.output]!,
      errors: [],
    },
    reasoning: { observation: firstObservation(reasoning!, jobs.reasoning) },
    rl: { observation: firstObservation(rl!, jobs.rl), dataset: files[FILES.dataset]! },
    unreadable: [],
  };
}
