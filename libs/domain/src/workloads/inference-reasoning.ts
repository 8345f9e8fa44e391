/**
 * `inference_reasoning`: one DAG of inference steps (sample, refine, verify, vote, select) run
 * by the agent against its engine (docs/job-kinds.md). This file is the shape and the defaults;
 * reasoning-dag.ts checks the graph (references, cycles) and reasoning-steps.ts the steps.
 */
import { z } from 'zod';
import { ENGINE_LIMITS, engineField, int, modelField, optionalText, revisionField } from './fields';
import { stepSchema, toStep, type ReasoningStep } from './reasoning-steps';

export const REASONING_LIMITS = {
  maxQuestionLength: 65_536,
  maxAnswerLength: 4096,
  maxSteps: 64,
  defaultMaxConcurrency: 16,
  defaultMaxCalls: 4096,
  maxCalls: 1_000_000,
  maxTokens: 1e12,
} as const;

/** A validated `inference_reasoning` workload with every default applied. */
export interface InferenceReasoningWorkload {
  readonly kind: 'inference_reasoning';
  readonly model: string;
  readonly revision: string;
  readonly engine: string | null;
  /** `{{question}}` in templates. */
  readonly question: string;
  /** The reference answer exact-answer verifies against; null when not given. */
  readonly answer: string | null;
  /** Use the cross-job result cache (identical calls within the job collapse either way). */
  readonly cache: boolean;
  /** Engine calls in flight. */
  readonly maxConcurrency: number;
  /**
   * The whole job's budget. Counts every call the DAG asks for, cached or not (so a job gives
   * the same answer whether or not the cache had its calls); null tokens is unlimited.
   */
  readonly budget: { readonly maxTokens: number | null; readonly maxCalls: number };
  readonly steps: readonly ReasoningStep[];
  /** The step whose answer is the job's answer; defaults to the last step. */
  readonly output: string;
}

/** The `inference_reasoning` field as clients write it (protobuf JSON names). */
export const inferenceReasoningSchema = z
  .object({
    model: modelField,
    revision: revisionField,
    engine: engineField,
    question: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .min(1, 'is required')
      .max(
        REASONING_LIMITS.maxQuestionLength,
        `must be at most ${REASONING_LIMITS.maxQuestionLength} characters`,
      ),
    answer: optionalText.refine(
      (a) => a === undefined || a.length <= REASONING_LIMITS.maxAnswerLength,
      `must be at most ${REASONING_LIMITS.maxAnswerLength} characters`,
    ),
    cache: z.boolean({ error: 'must be true or false' }).optional(),
    max_concurrency: int(1, ENGINE_LIMITS.maxConcurrency).optional(),
    budget: z
      .object({
        max_tokens: int(1, REASONING_LIMITS.maxTokens).optional(),
        max_calls: int(1, REASONING_LIMITS.maxCalls).optional(),
      })
      .strict()
      .optional(),
    steps: z
      .array(stepSchema, { error: 'is required' })
      .min(1, 'must have at least one step')
      .max(REASONING_LIMITS.maxSteps, `must have at most ${REASONING_LIMITS.maxSteps} steps`),
    output: optionalText,
  })
  .strict();

/** Applies the defaults to a parsed `inference_reasoning` field (the graph is checked apart). */
export function toInferenceReasoning(
  input: z.output<typeof inferenceReasoningSchema>,
): InferenceReasoningWorkload {
  const steps = input.steps.map(toStep);
  return {
    kind: 'inference_reasoning',
    model: input.model,
    revision: input.revision ?? ENGINE_LIMITS.defaultRevision,
    engine: input.engine ?? null,
    question: input.question,
    answer: input.answer ?? null,
    cache: input.cache ?? true,
    maxConcurrency: input.max_concurrency ?? REASONING_LIMITS.defaultMaxConcurrency,
    budget: {
      maxTokens: input.budget?.max_tokens ?? null,
      maxCalls: input.budget?.max_calls ?? REASONING_LIMITS.defaultMaxCalls,
    },
    steps,
    output: input.output ?? steps[steps.length - 1]!.id,
  };
}
