/**
 * How many GPUs of each model are for sale now, per product, and on which nodes (ADR 10):
 *
 * - interruptible: the free GPUs minus the pending demand that could use them (internal jobs
 *   and leases already bought). Interruptible leases are reclaimed when internal work needs the
 *   GPUs, a queue reclaiming its guarantee included, so they may borrow whatever is idle.
 * - on-demand: the free GPUs minus, per internal leaf queue, the larger of what it is
 *   guaranteed but does not hold and what it has pending, minus the pending leases; and never
 *   more than the `market` queue's guarantee leaves (on-demand and reserved leases are not
 *   preemptible, so they must fit in capacity no internal guarantee needs).
 *
 * The count is then laid on the nodes with the most free GPUs first: the scheduler places
 * internal work best fit (on the fullest nodes that fit), so what it leaves idle is the
 * emptiest nodes, which are also what renters of whole nodes want.
 */
import type { MarketFigures, ModelFigures, NodeShare } from './figures';

/** The products sold from free GPUs now. */
export type SpotProduct = 'on-demand' | 'interruptible';

/** GPUs of one model for sale on one node. */
export interface SellableShare {
  readonly share: NodeShare;
  readonly gpus: number;
}

/** GPUs of a model for sale now as a product, in all (before laying them on nodes). */
export function sellableCount(m: ModelFigures, product: SpotProduct): number {
  const idle = m.free - m.pendingLeases;
  if (product === 'interruptible') return Math.max(0, idle - m.pendingInternal);
  const headroom = m.marketGuarantee - m.rentedGuaranteed - m.pendingGuaranteedLeases;
  return Math.max(0, Math.min(idle - m.internalProtected, headroom));
}

/** The GPUs of a model for sale now as a product, node by node (nodes with none left out). */
export function sellableShares(
  figures: MarketFigures,
  model: string,
  product: SpotProduct,
): SellableShare[] {
  const m = figures.models.get(model);
  if (!m) return [];
  let left = sellableCount(m, product);
  const shares = figures.shares
    .filter((s) => s.model === model && s.free > 0)
    .sort((a, b) => b.free - a.free || a.nodeName.localeCompare(b.nodeName));
  const out: SellableShare[] = [];
  for (const share of shares) {
    if (left <= 0) break;
    const gpus = Math.min(share.free, left);
    out.push({ share, gpus });
    left -= gpus;
  }
  return out;
}
