import {
  renderTemplate,
  stepCallHash,
  templateStepReferences,
  type InferenceReasoningWorkload,
  type JobSpecInput,
} from '@gantry/domain';
import { type DemoJob } from './demo-workload';
import { arithmeticQuestions, BATCH_ENDPOINT, type ArithmeticQuestion } from './inference-inputs';

/** The model the simulated engine serves to the demo (any name works; this one says what it is). */
export const DEMO_MODEL = 'sim-math-7b';

/** What the demo's three inference jobs ask for, and so what their results must match. */
export interface InferencePlan {
  readonly batch: {
    readonly questions: readonly ArithmeticQuestion[];
    readonly shards: number;
    readonly maxTokens: number;
  };
  readonly reasoning: {
    readonly question: string;
    readonly answer: string;
    readonly steps: NonNullable<JobSpecInput['inference_reasoning']>['steps'];
    readonly output: string;
  };
  readonly rl: {
    readonly problems: readonly ArithmeticQuestion[];
    readonly samplesPerProblem: number;
  };
}

/** The sampling every call of the reasoning DAG shares: what makes its two samplers overlap. */
const REASONING_SAMPLING = { prompt: '{{question}}', temperature: 0.8, max_tokens: 64, seed: 0 };

/**
 * A batch of 36 questions in 2 shards; a reasoning DAG that samples 8 answers (`draft`, voted on
 * by `quick`) and 12 more with the same prompt and sampling (`more`: its first 8 calls are
 * draft's, so they run once), verifies those 12 against the answer and votes over them
 * (`final`, the output); RL data from 8 problems with 4 samples each.
 */
export function inferencePlan(): InferencePlan {
  return {
    batch: { questions: arithmeticQuestions(36, 'q'), shards: 2, maxTokens: 48 },
    reasoning: {
      question: 'What is 17 * 23?',
      answer: '391',
      steps: [
        { id: 'draft', sample: { ...REASONING_SAMPLING, n: 8 } },
        { id: 'quick', vote: { input: 'draft' } },
        { id: 'more', sample: { ...REASONING_SAMPLING, n: 12 } },
        { id: 'check', verify: { input: 'more', verifier: 'exact-answer' } },
        { id: 'final', vote: { input: 'check' } },
      ],
      output: 'final',
    },
    rl: { problems: arithmeticQuestions(8, 'p', 100), samplesPerProblem: 4 },
  };
}

/** The uploaded inputs of the batch and RL jobs. */
export interface UploadedInputs {
  readonly requestsFileId: string;
  readonly problemsFileId: string;
}

/** The three inference jobs, one GPU each (per shard for batch and RL), on the simulated engine. */
export function inferenceJobs(plan: InferencePlan, files: UploadedInputs): DemoJob[] {
  const job = (name: string, role: DemoJob['role'], gpus: number, spec: JobSpecInput) => ({
    name,
    role,
    gpus,
    nodes: 1,
    spec: { name, resources: { gpus: 1 }, ...spec },
  });
  const { batch, reasoning, rl } = plan;
  return [
    job(`batch-${batch.questions.length}-questions`, 'batch', batch.shards, {
      inference_batch: {
        model: DEMO_MODEL,
        input_file_id: files.requestsFileId,
        endpoint: BATCH_ENDPOINT,
        shards: batch.shards,
        max_concurrency: 8,
      },
    }),
    job('reasoning-dag', 'reasoning', 1, {
      inference_reasoning: {
        model: DEMO_MODEL,
        question: reasoning.question,
        answer: reasoning.answer,
        steps: reasoning.steps,
        output: reasoning.output,
        max_concurrency: 8,
      },
    }),
    job(`rl-${rl.problems.length}x${rl.samplesPerProblem}`, 'rl', 1, {
      rl_synthetic: {
        policy_model: DEMO_MODEL,
        problems_file_id: files.problemsFileId,
        samples_per_problem: rl.samplesPerProblem,
        verifier: 'exact-answer',
        keep: 'accepted',
        group_filter: true,
        sampling: { temperature: 1, max_tokens: 48 },
      },
    }),
  ];
}

/**
 * How many of a DAG's sample calls repeat another of its calls (the engine's identity: model,
 * revision, endpoint, prompt, sampling, seed `seed + i`): what deduplication must save at the
 * least. Sample steps whose prompt names another step are left out (their prompt is not known
 * before the run).
 */
export function duplicateSampleCalls(spec: InferenceReasoningWorkload): {
  calls: number;
  duplicates: number;
} {
  const seen = new Set<string>();
  let calls = 0;
  for (const step of spec.steps) {
    if (step.kind !== 'sample' || templateStepReferences(step.prompt).length > 0) continue;
    const prompt = renderTemplate(step.prompt, (name) =>
      name === 'question' ? spec.question : undefined,
    );
    for (let i = 0; i < step.n; i++) {
      calls++;
      const sampling = { ...step.sampling, seed: step.sampling.seed + i };
      const base = { model: spec.model, revision: spec.revision, sampling };
      seen.add(
        stepCallHash(
          step.chat
            ? {
                ...base,
                endpoint: '/v1/chat/completions',
                messages: [{ role: 'user', content: prompt }],
              }
            : { ...base, endpoint: '/v1/completions', prompt },
        ),
      );
    }
  }
  return { calls, duplicates: calls - seen.size };
}
