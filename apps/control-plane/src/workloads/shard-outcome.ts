/**
 * What a parent's shards say it should do next (pure): cancel the live ones (its owner cancelled
 * it, or a batch's completion window ran out), keep following them (with the request counts so
 * far), or end, and how. The drivers act on it.
 */
import { isTerminal, Reason, type ParentEnding, type RequestCounts } from '@gantry/domain';
import type { ShardView } from '@gantry/store';

export type ShardOutcome =
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'running'; readonly counts: RequestCounts }
  | { readonly kind: 'done'; readonly ending: ParentEnding };

export interface ShardFacts {
  /** The parent is being cancelled by its owner. */
  readonly cancelling: boolean;
  /** The completion window ran out (batch only). */
  readonly expired: boolean;
  readonly shards: readonly ShardView[];
  /** The request lines of all shards. */
  readonly total: number;
  /** A shard's answered and failed requests so far, from its last progress message. */
  readonly countsOf: (shard: ShardView) => { answered: number; failed: number };
}

export const CANCELLED_REASON = 'its batch or RL job was cancelled';
export const EXPIRED_REASON = 'the completion window of its batch ran out';

export function shardOutcome(facts: ShardFacts): ShardOutcome {
  const live = facts.shards.filter((s) => !isTerminal(s.state));
  if (facts.cancelling) {
    if (live.length > 0) return { kind: 'cancel', reason: CANCELLED_REASON };
    return {
      kind: 'done',
      ending: { status: 'cancelled', reason: Reason.Cancelled, message: 'cancelled by its owner' },
    };
  }
  const failed = facts.shards.find((s) => s.state === 'failed' || s.state === 'cancelled');
  if (live.length === 0 && !failed)
    return {
      kind: 'done',
      ending: { status: 'completed', reason: Reason.Completed, message: 'every shard finished' },
    };
  if (live.length === 0 && failed && !facts.expired) {
    const why = failed.message || failed.reason;
    return {
      kind: 'done',
      ending: {
        status: 'failed',
        reason: Reason.ShardsFailed,
        message: `shard ${shardNumber(failed)} (${failed.id}) ${failed.state}: ${why}`,
      },
    };
  }
  if (facts.expired) {
    if (live.length > 0) return { kind: 'cancel', reason: EXPIRED_REASON };
    return {
      kind: 'done',
      ending: {
        status: 'expired',
        reason: Reason.Expired,
        message: 'the completion window ran out; the requests answered by then are kept',
      },
    };
  }
  let completed = 0;
  let failedRequests = 0;
  for (const shard of facts.shards) {
    const counts = facts.countsOf(shard);
    completed += counts.answered;
    failedRequests += counts.failed;
  }
  return { kind: 'running', counts: { total: facts.total, completed, failed: failedRequests } };
}

function shardNumber(shard: ShardView): number {
  return shard.spec.workload.kind === 'shard' ? shard.spec.workload.index : 0;
}
