import { SPEC_LIMITS, type InferenceEndpoint, type JobSpec } from '@gantry/domain';
import type { ShardRange } from '@gantry/workloads';

/** What every shard of a parent runs. */
export interface ShardTemplate {
  readonly model: string;
  readonly revision: string;
  readonly engine: string | null;
  readonly endpoint: InferenceEndpoint;
  readonly maxConcurrency: number;
  /** The FileStore key of the parent's request lines. */
  readonly requestsKey: string;
}

/** The FileStore layout of a parent (ADR 9). */
export const parentKeys = (parentId: string) => ({
  requests: `jobs/${parentId}/requests.jsonl`,
  shard: (index: number) => `jobs/${parentId}/shards/${index}/`,
  verdicts: (index: number) => `jobs/${parentId}/verdicts/${index}.jsonl`,
});

/**
 * The shards' specs (ADR 9): the parent's queue, class, priority, resources (per shard), labels,
 * time limit and dependencies (so a parent that waits for another job waits through its
 * shards), each with a `shard` workload over its range of request lines.
 */
export function shardSpecs(
  parentId: string,
  parent: JobSpec,
  ranges: readonly ShardRange[],
  template: ShardTemplate,
): JobSpec[] {
  return ranges.map((range) => ({
    ...parent,
    name: `${parent.name}-shard-${range.index}`.slice(0, SPEC_LIMITS.maxNameLength),
    workload: {
      kind: 'shard',
      parentJobId: parentId,
      index: range.index,
      count: ranges.length,
      model: template.model,
      revision: template.revision,
      engine: template.engine,
      endpoint: template.endpoint,
      requestsKey: template.requestsKey,
      firstLine: range.firstLine,
      lineCount: range.lineCount,
      maxConcurrency: template.maxConcurrency,
      outputPrefix: parentKeys(parentId).shard(range.index),
    },
  }));
}
