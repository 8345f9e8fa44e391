/**
 * A shard's progress message, written by the agent and read by the control plane, which sums the
 * shards' counts into its batch's `request_counts` while the batch runs: `120/500 requests
 * (117 answered, 3 failed)`. People read it in `gantry watch` too.
 */
export interface ShardProgress {
  /** Requests settled so far (earlier attempts' included). */
  readonly done: number;
  readonly total: number;
  readonly answered: number;
  readonly failed: number;
}

export function formatShardProgress(p: ShardProgress): string {
  return `${p.done}/${p.total} requests (${p.answered} answered, ${p.failed} failed)`;
}

const PATTERN = /^(\d+)\/(\d+) requests \((\d+) answered, (\d+) failed\)/;

/** The counts of a progress message; null for any other message (before the first one). */
export function parseShardProgress(message: string): ShardProgress | null {
  const match = PATTERN.exec(message);
  if (!match) return null;
  const [done, total, answered, failed] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { done, total, answered, failed };
}
