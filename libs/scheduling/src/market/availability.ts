/**
 * Whether the market has a lease's capacity now (Quote's `available`, ADR 10): for on-demand
 * and interruptible, `nodes` nodes of one fabric domain (the one asked for, if any) each with
 * `gpus` GPUs for sale now; for reserved, the window's share of the `market` queue's guarantee
 * and nodes big enough. An interruptible bid may also have GPUs that leases of lower bids hold
 * (ADR 12: outbid.ts): then it is available by outbidding them, and starts once their notice has
 * run. A lease bought without it waits for its GPUs (it is not refused).
 */
import { bidPriority, type LeaseRequest, type Micros } from '@gantry/domain';
import type { MarketFigures } from './figures';
import { reservableCount, type ReservedWindow } from './offers';
import { outbidNodes } from './outbid';
import { sellableShares } from './sellable';

export interface Availability {
  readonly available: boolean;
  /** Says what is there, for people. */
  readonly message: string;
  /** Available only by displacing interruptible leases of lower bids, after their notice. */
  readonly outbids?: boolean;
}

type Asked = Pick<
  LeaseRequest,
  'product' | 'gpuModel' | 'gpus' | 'nodes' | 'fabricDomain' | 'windowStartsAt' | 'durationSeconds'
> & {
  /** An interruptible lease's bid; absent or null: only what is for sale now counts. */
  readonly bidPerGpuHour?: Micros | null;
};

function shapeText(r: Asked): string {
  const per = `${r.gpus} GPU${r.gpus === 1 ? '' : 's'} of ${r.gpuModel}`;
  const where = r.fabricDomain === null ? '' : ` in fabric domain ${r.fabricDomain}`;
  return r.nodes === 1
    ? `${per} on one node${where}`
    : `${r.nodes} nodes x ${per} in one fabric domain${where === '' ? '' : ` (${r.fabricDomain})`}`;
}

/** The most nodes of one domain that have at least `gpus` of `sizes` (per node, with domain). */
function mostNodes(
  perNode: readonly { domain: string; gpus: number }[],
  gpus: number,
  domain: string | null,
): number {
  const counts = new Map<string, number>();
  for (const n of perNode)
    if (n.gpus >= gpus && (domain === null || n.domain === domain))
      counts.set(n.domain, (counts.get(n.domain) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

/** Whether the capacity `request` asks for is there now (see the file's header). */
export function availability(
  figures: MarketFigures,
  request: Asked,
  reservedWindows: readonly ReservedWindow[] = [],
): Availability {
  const shape = shapeText(request);
  if (request.product === 'reserved') {
    const m = figures.models.get(request.gpuModel);
    const from = request.windowStartsAt ?? figures.now;
    const window = { from, until: from + request.durationSeconds * 1000 };
    const left = m ? reservableCount(m, window, reservedWindows) : 0;
    const wanted = request.gpus * request.nodes;
    const sizes = figures.shares
      .filter((s) => s.model === request.gpuModel)
      .map((s) => ({ domain: s.domain, gpus: s.gpus }));
    const nodes = mostNodes(sizes, request.gpus, request.fabricDomain);
    if (left >= wanted && nodes >= request.nodes)
      return { available: true, message: `can be reserved for the window: ${shape}` };
    return {
      available: false,
      message:
        left < wanted
          ? `cannot be reserved for the window: ${left} GPUs of ${request.gpuModel} are left, ${wanted} wanted`
          : `cannot be reserved: no ${shape} (the nodes are too few or too small)`,
    };
  }
  const forSale = sellableShares(figures, request.gpuModel, request.product).map((s) => ({
    domain: s.share.domain,
    gpus: s.gpus,
  }));
  const nodes = mostNodes(forSale, request.gpus, request.fabricDomain);
  if (nodes >= request.nodes) return { available: true, message: `for sale now: ${shape}` };
  const bid = request.product === 'interruptible' ? (request.bidPerGpuHour ?? null) : null;
  if (bid !== null) {
    const reachable = outbidNodes(figures, request.gpuModel, bidPriority(bid)).map((n) => ({
      domain: n.share.domain,
      gpus: n.gpus,
    }));
    if (mostNodes(reachable, request.gpus, request.fabricDomain) >= request.nodes)
      return {
        available: true,
        outbids: true,
        message:
          `for sale to this bid: ${shape}, by outbidding interruptible leases that bid less; ` +
          `the lease starts once their notice has run`,
      };
  }
  return {
    available: false,
    message:
      `not for sale now: ${shape} (${nodes} node${nodes === 1 ? ' has' : 's have'} that many ` +
      `GPUs for ${request.product} leases); a lease bought now waits for its GPUs`,
  };
}
