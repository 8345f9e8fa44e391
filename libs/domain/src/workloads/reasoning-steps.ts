/**
 * The steps of a reasoning DAG (docs/job-kinds.md): each has an `id` and exactly one kind.
 * Shape and defaults only; the references between steps are checked in reasoning-dag.ts.
 */
import { z } from 'zod';
import {
  int,
  optionalBool,
  requiredText,
  samplingShape,
  toSampling,
  type SamplingParams,
} from './fields';

export const STEP_KINDS = ['sample', 'refine', 'verify', 'vote', 'select'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The verifiers a reasoning `verify` step may use (`unit-tests` needs tests, which it has not). */
export const REASONING_VERIFIERS = ['exact-answer'] as const;

export const STEP_LIMITS = { maxN: 1024, maxPromptLength: 65_536 } as const;

/** A step id: 1-63 characters [a-z0-9_-], starting with a letter. */
export const STEP_ID_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

/** An engine call's shape shared by `sample` and `refine`. */
export interface CallStepFields {
  readonly id: string;
  /** A template: `{{question}}`, `{{<step id>}}`, and in refine `{{item}}`. */
  readonly prompt: string;
  /** Calls per step (sample) or per input item (refine); call `i` uses seed `sampling.seed + i`. */
  readonly n: number;
  readonly sampling: SamplingParams;
  /** true: /v1/chat/completions with the prompt as one user message; false: /v1/completions. */
  readonly chat: boolean;
}

export interface SampleStep extends CallStepFields {
  readonly kind: 'sample';
}

export interface RefineStep extends CallStepFields {
  readonly kind: 'refine';
  readonly input: string;
}

export interface VerifyStep {
  readonly id: string;
  readonly kind: 'verify';
  readonly input: string;
  readonly verifier: (typeof REASONING_VERIFIERS)[number];
  /** End the job as soon as the verifier accepts an item; that item is the answer. */
  readonly stopWhenAccepted: boolean;
}

export interface VoteStep {
  readonly id: string;
  readonly kind: 'vote';
  readonly input: string;
  readonly method: 'majority';
}

export interface SelectStep {
  readonly id: string;
  readonly kind: 'select';
  readonly input: string;
  /** A `verify` step over `input`: the item it scores highest is the answer. */
  readonly by: string;
}

export type ReasoningStep = SampleStep | RefineStep | VerifyStep | VoteStep | SelectStep;

const prompt = requiredText(STEP_LIMITS.maxPromptLength);
const stepRef = requiredText(63);
const callShape = { ...samplingShape, n: int(1, STEP_LIMITS.maxN).optional(), chat: optionalBool };

const kindSchemas = {
  sample: z.object({ prompt, ...callShape }).strict(),
  refine: z.object({ input: stepRef, prompt, ...callShape }).strict(),
  verify: z
    .object({
      input: stepRef,
      verifier: z.enum(REASONING_VERIFIERS, {
        error: `must be ${REASONING_VERIFIERS.join(' or ')}`,
      }),
      stop_when_accepted: optionalBool,
    })
    .strict(),
  vote: z
    .object({
      input: stepRef,
      method: z.enum(['majority'], { error: 'must be majority' }).optional(),
    })
    .strict(),
  select: z.object({ input: stepRef, by: stepRef }).strict(),
};

/** One step as clients write it. */
export const stepSchema = z
  .object({
    id: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .regex(
        STEP_ID_PATTERN,
        'must be 1-63 lower-case letters, digits, "_" or "-", starting with a letter',
      ),
    sample: kindSchemas.sample.optional(),
    refine: kindSchemas.refine.optional(),
    verify: kindSchemas.verify.optional(),
    vote: kindSchemas.vote.optional(),
    select: kindSchemas.select.optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length === 0)
      ctx.addIssue({ code: 'custom', message: `one of ${STEP_KINDS.join(', ')} is required` });
    if (kinds.length > 1)
      ctx.addIssue({ code: 'custom', message: `set only one of ${kinds.join(', ')}` });
  });

/** Applies a step's defaults (the schema guarantees exactly one kind). */
export function toStep(input: z.output<typeof stepSchema>): ReasoningStep {
  const { id } = input;
  if (input.sample) {
    const s = input.sample;
    return {
      id,
      kind: 'sample',
      prompt: s.prompt,
      n: s.n ?? 1,
      sampling: toSampling(s),
      chat: s.chat ?? true,
    };
  }
  if (input.refine) {
    const r = input.refine;
    return {
      id,
      kind: 'refine',
      input: r.input,
      prompt: r.prompt,
      n: r.n ?? 1,
      sampling: toSampling(r),
      chat: r.chat ?? true,
    };
  }
  if (input.verify) {
    const v = input.verify;
    return {
      id,
      kind: 'verify',
      input: v.input,
      verifier: v.verifier,
      stopWhenAccepted: v.stop_when_accepted ?? false,
    };
  }
  if (input.vote) return { id, kind: 'vote', input: input.vote.input, method: 'majority' };
  const s = input.select!;
  return { id, kind: 'select', input: s.input, by: s.by };
}
