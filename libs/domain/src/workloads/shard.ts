/**
 * `shard`: the internal workload the control plane creates for `inference_batch` and
 * `rl_synthetic` parents (ADR 9). Never submitted by users: the submit validator rejects it
 * (`isInternalWorkload`), but parseJobSpec accepts it so a shard's stored spec round-trips.
 *
 * Fields as written (protobuf JSON names), and what they mean:
 * - `parent_job_id`: the parent job (`job_...`);
 * - `index`, `count`: this shard is number `index` (0-based) of `count`;
 * - `model`, `revision`, `engine`, `endpoint`: the parent's engine and the endpoint every
 *   request line calls;
 * - `requests_key`: the FileStore key of the validated request lines
 *   (`jobs/<parent id>/requests.jsonl`);
 * - `first_line`, `line_count`: this shard's lines, 0-based: `[first_line, first_line +
 *   line_count)`; a request's output id is `req_<its 0-based line + 1>`;
 * - `max_concurrency`: requests in flight;
 * - `output_prefix`: the FileStore key prefix of the shard's files (`jobs/<parent
 *   id>/shards/<index>/`); attempt `n` writes `<prefix>attempt-<n>.out.jsonl` and `.err.jsonl`.
 */
import { z } from 'zod';
import {
  ENGINE_LIMITS,
  endpointField,
  engineField,
  int,
  jobIdField,
  modelField,
  revisionField,
  type InferenceEndpoint,
} from './fields';
import { BATCH_SPEC_LIMITS } from './inference-batch';

export const SHARD_LIMITS = {
  maxFirstLine: 100_000_000,
  maxLineCount: 10_000_000,
  maxKeyLength: 1024,
} as const;

/** A validated `shard` workload. */
export interface ShardWorkload {
  readonly kind: 'shard';
  readonly parentJobId: string;
  readonly index: number;
  readonly count: number;
  readonly model: string;
  readonly revision: string;
  readonly engine: string | null;
  readonly endpoint: InferenceEndpoint;
  readonly requestsKey: string;
  /** 0-based index of the shard's first request line. */
  readonly firstLine: number;
  readonly lineCount: number;
  readonly maxConcurrency: number;
  /** Ends with '/'. */
  readonly outputPrefix: string;
}

/** A relative FileStore key: no leading '/', no '.' or '..' segments, no empty segments. */
function isStorageKey(key: string, prefix: boolean): boolean {
  const segments = (prefix ? key.replace(/\/$/, '') : key).split('/');
  return (
    key.length > 0 &&
    key.length <= SHARD_LIMITS.maxKeyLength &&
    (!prefix || key.endsWith('/')) &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\s\\]/.test(s))
  );
}

const keyField = (prefix: boolean) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .refine(
      (key) => isStorageKey(key, prefix),
      prefix
        ? 'must be a storage key prefix ending in "/" (relative, no "." or ".." segments)'
        : 'must be a storage key (relative, no "." or ".." segments)',
    );

/** The `shard` field as the control plane writes it. */
export const shardSchema = z
  .object({
    parent_job_id: jobIdField,
    index: int(0, BATCH_SPEC_LIMITS.maxShards - 1),
    count: int(1, BATCH_SPEC_LIMITS.maxShards),
    model: modelField,
    revision: revisionField,
    engine: engineField,
    endpoint: endpointField,
    requests_key: keyField(false),
    first_line: int(0, SHARD_LIMITS.maxFirstLine),
    line_count: int(1, SHARD_LIMITS.maxLineCount),
    max_concurrency: int(1, ENGINE_LIMITS.maxConcurrency).optional(),
    output_prefix: keyField(true),
  })
  .strict()
  .refine((s) => s.index < s.count, {
    path: ['index'],
    message: 'must be less than count',
  });

/** Applies the defaults to a parsed `shard` field. */
export function toShard(input: z.output<typeof shardSchema>): ShardWorkload {
  return {
    kind: 'shard',
    parentJobId: input.parent_job_id,
    index: input.index,
    count: input.count,
    model: input.model,
    revision: input.revision ?? ENGINE_LIMITS.defaultRevision,
    engine: input.engine ?? null,
    endpoint: input.endpoint,
    requestsKey: input.requests_key,
    firstLine: input.first_line,
    lineCount: input.line_count,
    maxConcurrency: input.max_concurrency ?? BATCH_SPEC_LIMITS.defaultMaxConcurrency,
    outputPrefix: input.output_prefix,
  };
}
