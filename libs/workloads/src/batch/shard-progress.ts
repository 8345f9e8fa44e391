/**
 * The message of a shard attempt's progress events (ADR 9): human-readable, and parsed back by
 * the control plane, which sums its shards' counts into the parent batch's `request_counts`.
 * `done` counts the shard's settled requests, those earlier attempts settled included;
 * `answered` (2xx) and `failed` (the error file's lines) are of those, so a sum over shards is
 * the batch's `completed` and `failed`.
 *
 *     12/40 requests settled (11 answered, 1 failed)
 */
import type { RequestCounts } from './status';

/** Where a shard stands: of `total` requests, `done` are settled. */
export interface ShardProgress {
  readonly done: number;
  readonly total: number;
  readonly answered: number;
  readonly failed: number;
}

const PATTERN = /^(\d+)\/(\d+) requests settled \((\d+) answered, (\d+) failed\)$/;

/** The progress message of a shard (see the file's comment). */
export function formatShardProgress(p: ShardProgress): string {
  return `${p.done}/${p.total} requests settled (${p.answered} answered, ${p.failed} failed)`;
}

/**
 * A shard's progress from its message, or null when the message is not one (another backend's
 * progress, a damaged report): whole numbers with `answered + failed <= done <= total`.
 */
export function parseShardProgress(message: string): ShardProgress | null {
  const match = PATTERN.exec(message);
  if (!match) return null;
  const [done, total, answered, failed] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const counts = [done, total, answered, failed];
  if (!counts.every(Number.isSafeInteger)) return null;
  if (done > total || answered + failed > done) return null;
  return { done, total, answered, failed };
}

/** A shard's part of its batch's request counts. */
export function shardRequestCounts(p: ShardProgress): RequestCounts {
  return { total: p.total, completed: p.answered, failed: p.failed };
}
