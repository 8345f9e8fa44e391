/**
 * `inference_batch`: OpenAI Batch semantics on self-hosted engines (docs/job-kinds.md). A parent
 * job: the control plane validates the input file, plans shards and merges their outputs.
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
  type InferenceEndpoint,
} from './fields';

export const BATCH_SPEC_LIMITS = {
  minCompletionWindowSeconds: 60,
  maxCompletionWindowSeconds: 7 * 24 * 3600,
  defaultCompletionWindowSeconds: 24 * 3600,
  maxShards: 256,
  defaultShards: 1,
  defaultMaxConcurrency: 32,
} as const;

/** A validated `inference_batch` workload with every default applied. */
export interface InferenceBatchWorkload {
  readonly kind: 'inference_batch';
  readonly model: string;
  /** Weights revision, default "main". */
  readonly revision: string;
  /** Engine preset or name; null for the agent's default. */
  readonly engine: string | null;
  /** The uploaded JSONL of request lines. */
  readonly inputFileId: string;
  readonly endpoint: InferenceEndpoint;
  /** How long the job may take from submission; then it ends `expired` with partial results. */
  readonly completionWindowSeconds: number;
  /** Requested shards; the plan uses at most one per request line. */
  readonly shards: number;
  /** Requests in flight per shard. */
  readonly maxConcurrency: number;
}

/** The `inference_batch` field as clients write it (protobuf JSON names). */
export const inferenceBatchSchema = z
  .object({
    model: modelField,
    revision: revisionField,
    engine: engineField,
    input_file_id: fileIdField,
    endpoint: endpointField,
    completion_window_seconds: int(
      BATCH_SPEC_LIMITS.minCompletionWindowSeconds,
      BATCH_SPEC_LIMITS.maxCompletionWindowSeconds,
    ).optional(),
    shards: int(1, BATCH_SPEC_LIMITS.maxShards).optional(),
    max_concurrency: int(1, ENGINE_LIMITS.maxConcurrency).optional(),
  })
  .strict();

/** Applies the defaults to a parsed `inference_batch` field. */
export function toInferenceBatch(
  input: z.output<typeof inferenceBatchSchema>,
): InferenceBatchWorkload {
  return {
    kind: 'inference_batch',
    model: input.model,
    revision: input.revision ?? ENGINE_LIMITS.defaultRevision,
    engine: input.engine ?? null,
    inputFileId: input.input_file_id,
    endpoint: input.endpoint,
    completionWindowSeconds:
      input.completion_window_seconds ?? BATCH_SPEC_LIMITS.defaultCompletionWindowSeconds,
    shards: input.shards ?? BATCH_SPEC_LIMITS.defaultShards,
    maxConcurrency: input.max_concurrency ?? BATCH_SPEC_LIMITS.defaultMaxConcurrency,
  };
}
