/**
 * `rl_synthetic`: K rollouts per problem from a policy model, scored by a rule-based verifier,
 * filtered into a dataset with provenance (docs/job-kinds.md). A parent job, like
 * `inference_batch`: its request lines are generated from the problems file.
 */
import { z } from 'zod';
import {
  ENGINE_LIMITS,
  endpointField,
  engineField,
  fileIdField,
  int,
  modelField,
  revisionField,
  samplingShape,
  toSampling,
  type InferenceEndpoint,
  type SamplingParams,
} from './fields';
import { BATCH_SPEC_LIMITS } from './inference-batch';

/** The rule-based verifiers (libs/workloads/src/verifiers). */
export const VERIFIER_NAMES = ['exact-answer', 'unit-tests'] as const;
export type VerifierName = (typeof VERIFIER_NAMES)[number];

export const RL_SPEC_LIMITS = {
  maxSamplesPerProblem: 1024,
  defaultSamplesPerProblem: 8,
  defaultTimeLimitSeconds: 10,
  maxTimeLimitSeconds: 600,
  defaultMemoryLimitMb: 512,
  minMemoryLimitMb: 16,
  maxMemoryLimitMb: 65_536,
} as const;

/** A validated `rl_synthetic` workload with every default applied. */
export interface RlSyntheticWorkload {
  readonly kind: 'rl_synthetic';
  readonly policyModel: string;
  readonly revision: string;
  readonly engine: string | null;
  /** The uploaded JSONL of problems. */
  readonly problemsFileId: string;
  /** K: rollouts per problem; rollout `k` uses seed `sampling.seed + k`. */
  readonly samplesPerProblem: number;
  readonly endpoint: InferenceEndpoint;
  readonly sampling: SamplingParams;
  readonly verifier: VerifierName;
  /** Limits of each unit-tests run (ignored by exact-answer). */
  readonly verifierOptions: { readonly timeLimitSeconds: number; readonly memoryLimitMb: number };
  /** `accepted`: rejection sampling; `all`: every trace with its score. */
  readonly keep: 'accepted' | 'all';
  /** Drop problems where all or none of the K samples pass. */
  readonly groupFilter: boolean;
  readonly shards: number;
  readonly maxConcurrency: number;
}

/** The `rl_synthetic` field as clients write it (protobuf JSON names). */
export const rlSyntheticSchema = z
  .object({
    policy_model: modelField,
    revision: revisionField,
    engine: engineField,
    problems_file_id: fileIdField,
    samples_per_problem: int(1, RL_SPEC_LIMITS.maxSamplesPerProblem).optional(),
    endpoint: endpointField.optional(),
    sampling: z.object(samplingShape).strict().optional(),
    verifier: z
      .enum(VERIFIER_NAMES, { error: `must be ${VERIFIER_NAMES.join(' or ')}` })
      .optional(),
    verifier_options: z
      .object({
        time_limit_seconds: int(1, RL_SPEC_LIMITS.maxTimeLimitSeconds).optional(),
        memory_limit_mb: int(
          RL_SPEC_LIMITS.minMemoryLimitMb,
          RL_SPEC_LIMITS.maxMemoryLimitMb,
        ).optional(),
      })
      .strict()
      .optional(),
    keep: z.enum(['accepted', 'all'], { error: 'must be accepted or all' }).optional(),
    group_filter: z.boolean({ error: 'must be true or false' }).optional(),
    shards: int(1, BATCH_SPEC_LIMITS.maxShards).optional(),
    max_concurrency: int(1, ENGINE_LIMITS.maxConcurrency).optional(),
  })
  .strict();

/** Applies the defaults to a parsed `rl_synthetic` field. */
export function toRlSynthetic(input: z.output<typeof rlSyntheticSchema>): RlSyntheticWorkload {
  return {
    kind: 'rl_synthetic',
    policyModel: input.policy_model,
    revision: input.revision ?? ENGINE_LIMITS.defaultRevision,
    engine: input.engine ?? null,
    problemsFileId: input.problems_file_id,
    samplesPerProblem: input.samples_per_problem ?? RL_SPEC_LIMITS.defaultSamplesPerProblem,
    endpoint: input.endpoint ?? '/v1/chat/completions',
    sampling: toSampling(input.sampling ?? {}),
    verifier: input.verifier ?? 'exact-answer',
    verifierOptions: {
      timeLimitSeconds:
        input.verifier_options?.time_limit_seconds ?? RL_SPEC_LIMITS.defaultTimeLimitSeconds,
      memoryLimitMb: input.verifier_options?.memory_limit_mb ?? RL_SPEC_LIMITS.defaultMemoryLimitMb,
    },
    keep: input.keep ?? 'accepted',
    groupFilter: input.group_filter ?? true,
    shards: input.shards ?? BATCH_SPEC_LIMITS.defaultShards,
    maxConcurrency: input.max_concurrency ?? BATCH_SPEC_LIMITS.defaultMaxConcurrency,
  };
}
