/**
 * Valid inputs of the job kinds for unit tests (protobuf JSON names, as clients write them),
 * and the violations parseJobSpec reports for an input.
 */
import { ValidationError, type FieldViolation } from '../errors';
import { parseJobSpec } from '../job-spec';

export const A_FILE_ID = `file_${'0'.repeat(10)}${'a'.repeat(16)}`;
export const A_JOB_ID = `job_${'0'.repeat(10)}${'b'.repeat(16)}`;

/** The violations of `input`, or a thrown Error when it is valid. */
export function violationsOf(input: unknown): FieldViolation[] {
  try {
    parseJobSpec(input);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.violations];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** A one-GPU spec of an `inference_batch` job, its fields overridden by `fields`. */
export function batchInput(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resources: { gpus: 1 },
    inference_batch: {
      model: 'Qwen/Qwen2.5-7B-Instruct',
      input_file_id: A_FILE_ID,
      endpoint: '/v1/chat/completions',
      ...fields,
    },
  };
}

/** A one-GPU spec of an `rl_synthetic` job, its fields overridden by `fields`. */
export function rlInput(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resources: { gpus: 1 },
    rl_synthetic: { policy_model: 'Qwen/Qwen2.5-Math-7B', problems_file_id: A_FILE_ID, ...fields },
  };
}

/** A one-GPU spec of a `shard` job, its fields overridden by `fields`. */
export function shardInput(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resources: { gpus: 1 },
    shard: {
      parent_job_id: A_JOB_ID,
      index: 1,
      count: 2,
      model: 'm',
      endpoint: '/v1/completions',
      requests_key: `jobs/${A_JOB_ID}/requests.jsonl`,
      first_line: 50,
      line_count: 50,
      output_prefix: `jobs/${A_JOB_ID}/shards/1/`,
      ...fields,
    },
  };
}

/** The doc's example DAG: draft (sample 8) -> check (verify) -> improve (refine) -> final (vote). */
export const EXAMPLE_STEPS = [
  {
    id: 'draft',
    sample: { n: 8, prompt: '{{question}}', temperature: 0.8, max_tokens: 512, seed: 0 },
  },
  { id: 'check', verify: { input: 'draft', verifier: 'exact-answer', stop_when_accepted: true } },
  {
    id: 'improve',
    refine: {
      input: 'draft',
      prompt: 'Question: {{question}}\nDraft: {{item}}\nCheck the draft and answer again.',
      temperature: 0.2,
      max_tokens: 512,
    },
  },
  { id: 'final', vote: { input: 'improve' } },
];

/** A one-GPU spec of an `inference_reasoning` job, its fields overridden by `fields`. */
export function reasoningInput(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resources: { gpus: 1 },
    inference_reasoning: {
      model: 'Qwen/Qwen2.5-7B-Instruct',
      question: 'What is 17 * 23?',
      answer: '391',
      steps: EXAMPLE_STEPS,
      output: 'final',
      ...fields,
    },
  };
}
