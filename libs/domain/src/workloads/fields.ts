/**
 * The zod field types the job kinds share (docs/job-kinds.md). Every message is a sentence a
 * client sees after the field's name (`spec.inference_batch.shards: must be at most 256`).
 * Proto3 cannot tell an unset string from an empty one, so optional text treats '' as unset.
 */
import { z } from 'zod';
import { isId } from '../ids';

/** The two OpenAI endpoints the inference kinds call. */
export type InferenceEndpoint = '/v1/chat/completions' | '/v1/completions';

export const INFERENCE_ENDPOINTS = ['/v1/chat/completions', '/v1/completions'] as const;

/** Limits shared by the inference kinds. */
export const ENGINE_LIMITS = {
  maxModelLength: 256,
  maxRevisionLength: 256,
  defaultRevision: 'main',
  maxConcurrency: 1024,
  maxTokens: 131_072,
  maxSeed: 0xffffffff,
} as const;

/** A whole number in [min, max]. */
export const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A number in [min, max]. */
export const num = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A string that may be absent; '' (proto3's unset) becomes undefined. */
export const optionalText = z
  .string({ error: 'must be a string' })
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/** A required string of 1 to `max` characters ('' counts as missing). */
export const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`);

/** A boolean that may be absent. */
export const optionalBool = z.boolean({ error: 'must be true or false' }).optional();

/** A model name as the engine knows it (a Hugging Face id or a local path). */
export const modelField = requiredText(ENGINE_LIMITS.maxModelLength);

/** A weights revision (a branch, tag or commit); defaults to "main". */
export const revisionField = optionalText.refine(
  (r) => r === undefined || (r.length <= ENGINE_LIMITS.maxRevisionLength && !/\s/.test(r)),
  `must be at most ${ENGINE_LIMITS.maxRevisionLength} characters without spaces`,
);

/** An engine preset or name (`vllm`, `sglang`, `simulated`); unset means the agent's default. */
export const engineField = optionalText.refine(
  (e) => e === undefined || /^[a-z0-9-]{1,63}$/.test(e),
  'must be 1-63 lower-case letters, digits or "-"',
);

const endpointMessage = `must be ${INFERENCE_ENDPOINTS.join(' or ')}`;

/** One of the two OpenAI endpoints. */
export const endpointField = z.enum(INFERENCE_ENDPOINTS, {
  error: (issue) =>
    issue.input === undefined ? `is required; ${endpointMessage}` : endpointMessage,
});

/** The id of an uploaded file (`file_` and 26 Crockford base32 characters). */
export const fileIdField = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .min(1, 'is required')
  .refine((id) => isId('file', id), 'must be a file id (file_ and 26 characters)');

/** The id of a job. */
export const jobIdField = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .refine((id) => isId('job', id), 'must be a job id (job_...)');

/** A seed for the engine's sampler. */
export const seedField = int(0, ENGINE_LIMITS.maxSeed);

/** Sampling parameters of one engine call, after defaults. */
export interface SamplingParams {
  /** 0-2, default 1. */
  readonly temperature: number;
  /** 0-1, default 1. */
  readonly topP: number;
  /** Completion tokens per call, 1-131072, default 1024. */
  readonly maxTokens: number;
  /** The first call's seed; call `i` uses `seed + i`. Default 0. */
  readonly seed: number;
}

/** The snake_case sampling fields as clients write them (embedded in a step or a job). */
export const samplingShape = {
  temperature: num(0, 2).optional(),
  top_p: num(0, 1).optional(),
  max_tokens: int(1, ENGINE_LIMITS.maxTokens).optional(),
  seed: seedField.optional(),
};

/** Applies the sampling defaults. */
export function toSampling(input: {
  temperature?: number | undefined;
  top_p?: number | undefined;
  max_tokens?: number | undefined;
  seed?: number | undefined;
}): SamplingParams {
  return {
    temperature: input.temperature ?? 1,
    topP: input.top_p ?? 1,
    maxTokens: input.max_tokens ?? 1024,
    seed: input.seed ?? 0,
  };
}
