/**
 * Outbidding (ADR 12): the GPUs interruptible leases hold are for sale too, to a higher bid. A
 * lease's job priority within its class is its bid in cents (`bidPriority`), and the policy lets
 * a pending lease preempt running leases of a strictly lower priority, lowest first, each with
 * its notice; so a bid one cent above the highest bid it displaces wins their GPUs once the
 * notice has run. Leases in their notice are not counted (they are displaced already), nor
 * leases at the top priority (no bid ranks above them).
 *
 * - `outbidOffers`: per GPU model and fabric domain, one interruptible offer line (`outbid`) of
 *   the GPUs leases hold, priced at the least bid that displaces every one of them (never under
 *   the floor); its most per node counts the GPUs for sale now on that node too.
 * - `outbidNodes`: per node, the GPUs a bid of a given priority could have: those for sale now
 *   plus those held by lower bids (what Quote checks a bid against).
 */
import { leastBidOver, SPEC_LIMITS, type Micros } from '@gantry/domain';
import type { HeldBid, MarketFigures, NodeShare } from './figures';
import { sellableShares } from './sellable';

/** What a bid could have on one node. */
export interface OutbidNode {
  readonly share: NodeShare;
  /** GPUs for sale now there (free, not wanted by pending work). */
  readonly forSale: number;
  /** The leases a bid of the priority asked for would displace there, lowest bid first. */
  readonly displaced: readonly HeldBid[];
  /** forSale plus the GPUs the displaced leases hold. */
  readonly gpus: number;
}

/** The leases of a node a bid of `priority` outbids (a strictly lower priority). */
const outbidBy = (share: NodeShare, priority: number): HeldBid[] =>
  share.bids.filter((b) => b.priority < priority);

/**
 * Per node of the model (nodes with nothing for such a bid left out): what an interruptible bid
 * of job priority `priority` could have there.
 */
export function outbidNodes(figures: MarketFigures, model: string, priority: number): OutbidNode[] {
  const forSale = new Map(
    sellableShares(figures, model, 'interruptible').map((s) => [s.share.nodeId, s.gpus]),
  );
  const out: OutbidNode[] = [];
  for (const share of figures.shares) {
    if (share.model !== model) continue;
    const displaced = outbidBy(share, priority);
    const sale = forSale.get(share.nodeId) ?? 0;
    const gpus = sale + displaced.reduce((n, b) => n + b.gpus, 0);
    if (gpus > 0) out.push({ share, forSale: sale, displaced, gpus });
  }
  return out;
}

/** One outbid line: GPUs held by leases in a domain, and the least bid that displaces them all. */
export interface OutbidLine {
  readonly gpuModel: string;
  readonly fabricDomain: string;
  /** GPUs held by interruptible leases that a bid can displace. */
  readonly gpus: number;
  /** The most one node could give such a bid: its leases' GPUs plus its GPUs for sale now. */
  readonly maxGpusPerNode: number;
  /** The least bid (whole cents) above every displaced lease's, and at least the floor. */
  readonly pricePerGpuHour: Micros;
}

/** The outbid lines of a model with the interruptible floor `floor` (see the file's header). */
export function outbidLines(figures: MarketFigures, model: string, floor: Micros): OutbidLine[] {
  const top = SPEC_LIMITS.maxPriority;
  const byDomain = new Map<string, { gpus: number; most: number; highest: number }>();
  for (const node of outbidNodes(figures, model, top)) {
    const held = node.gpus - node.forSale;
    if (held === 0) continue;
    const d = byDomain.get(node.share.domain) ?? { gpus: 0, most: 0, highest: -Infinity };
    byDomain.set(node.share.domain, {
      gpus: d.gpus + held,
      most: Math.max(d.most, node.gpus),
      highest: Math.max(d.highest, ...node.displaced.map((b) => b.priority)),
    });
  }
  return [...byDomain]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, d]) => ({
      gpuModel: model,
      fabricDomain: domain,
      gpus: d.gpus,
      maxGpusPerNode: d.most,
      pricePerGpuHour: Math.max(floor, leastBidOver(d.highest)!),
    }));
}
