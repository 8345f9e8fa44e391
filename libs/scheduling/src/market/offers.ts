/**
 * Offers (ADR 10): what a renter can buy now, per product, GPU model and fabric domain.
 *
 * - on-demand and interruptible: the GPUs for sale now (sellable.ts) grouped by fabric domain,
 *   with the most one node has; available from now until a fixed horizon later. The forecast
 *   is "free now, and not wanted by anything queued now": the queue changes faster than the
 *   running jobs end, so Gantry promises no more than the horizon (GANTRY_OFFER_HORIZON_SECONDS).
 * - interruptible, outbid (ADR 12, outbid.ts): the GPUs interruptible leases hold, per fabric
 *   domain, priced at the least bid that displaces them all (a cent above the highest bid among
 *   them, at least the floor); such a lease starts once their notice has run.
 * - reserved: a future window from the `market` queue's guarantee, per model (any domain):
 *   the guarantee less the on-demand and reserved leases holding or waiting for GPUs and the
 *   reserved windows already sold that overlap the offer's window. The window opens a minute
 *   from now (the earliest a reserved lease may start) and is as long as a lease may be.
 *
 * Offers without GPUs or without a price are left out.
 */
import { LEASE_LIMITS, type LeaseProduct, type Micros } from '@gantry/domain';
import type { ClusterSnapshot } from '../model';
import { marketFigures, type MarketFigures, type ModelFigures } from './figures';
import { outbidLines } from './outbid';
import type { PriceLookup } from './pricing';
import { sellableShares, type SpotProduct } from './sellable';

export interface MarketOffer {
  readonly product: LeaseProduct;
  readonly gpuModel: string;
  /** '' for any (reserved offers). */
  readonly fabricDomain: string;
  readonly gpus: number;
  readonly maxGpusPerNode: number;
  /** Epoch ms. */
  readonly availableFrom: number;
  readonly availableUntil: number;
  /**
   * On-demand and reserved: the price; interruptible: the floor a bid must reach; an outbid
   * line: the least bid that displaces every lease holding its GPUs.
   */
  readonly pricePerGpuHour: Micros;
  /**
   * An interruptible line of GPUs that interruptible leases hold (ADR 12): a bid of at least its
   * price displaces them, after their notice. Absent: GPUs for sale now.
   */
  readonly outbid?: boolean;
}

/** A reserved lease sold whose window has not started: its GPUs are promised then. */
export interface ReservedWindow {
  readonly gpuModel: string;
  readonly gpus: number;
  /** Epoch ms, [from, until). */
  readonly from: number;
  readonly until: number;
}

export interface OfferOptions {
  /** How long on-demand and interruptible offers are forecast to last. */
  readonly horizonSeconds: number;
  /** Reserved windows already sold (not yet started). */
  readonly reservedWindows?: readonly ReservedWindow[];
}

/** The window reserved offers are for at `now`: [now + 1 min, that + 30 days). */
export function reservedWindowAt(now: number): { from: number; until: number } {
  const from = now + LEASE_LIMITS.minReservedLeadSeconds * 1000;
  return { from, until: from + LEASE_LIMITS.maxDurationSeconds * 1000 };
}

/** GPUs of a model that reserved leases for [from, until) may still have. */
export function reservableCount(
  m: ModelFigures,
  window: { from: number; until: number },
  sold: readonly ReservedWindow[] = [],
): number {
  const overlapping = sold
    .filter((w) => w.gpuModel === m.model && w.from < window.until && window.from < w.until)
    .reduce((n, w) => n + w.gpus, 0);
  const committed = m.rentedGuaranteed + m.pendingGuaranteedLeases + overlapping;
  return Math.max(0, m.marketGuarantee - committed);
}

/** The offers of a snapshot at `now` (see the file's header). */
export function offers(
  snapshot: ClusterSnapshot,
  prices: PriceLookup,
  now: number,
  options: OfferOptions,
): MarketOffer[] {
  return offersFrom(marketFigures(snapshot), prices, now, options);
}

/** The offers of figures already computed. */
export function offersFrom(
  figures: MarketFigures,
  prices: PriceLookup,
  now: number,
  options: OfferOptions,
): MarketOffer[] {
  const out: MarketOffer[] = [];
  const until = now + options.horizonSeconds * 1000;
  for (const m of figures.models.values()) {
    for (const product of ['on-demand', 'interruptible'] as SpotProduct[]) {
      const price = prices(m.model, product);
      if (!price) continue;
      const byDomain = new Map<string, { gpus: number; most: number }>();
      for (const { share, gpus } of sellableShares(figures, m.model, product)) {
        const d = byDomain.get(share.domain) ?? { gpus: 0, most: 0 };
        byDomain.set(share.domain, { gpus: d.gpus + gpus, most: Math.max(d.most, gpus) });
      }
      for (const [domain, { gpus, most }] of [...byDomain].sort(([a], [b]) => a.localeCompare(b)))
        out.push({
          product,
          gpuModel: m.model,
          fabricDomain: domain,
          gpus,
          maxGpusPerNode: most,
          availableFrom: now,
          availableUntil: until,
          pricePerGpuHour: price.price,
        });
    }
    const floor = prices(m.model, 'interruptible');
    if (floor)
      for (const line of outbidLines(figures, m.model, floor.price))
        out.push({
          product: 'interruptible',
          ...line,
          availableFrom: now,
          availableUntil: until,
          outbid: true,
        });
    const price = prices(m.model, 'reserved');
    const window = reservedWindowAt(now);
    const gpus = reservableCount(m, window, options.reservedWindows);
    const largest = Math.max(
      0,
      ...figures.shares.filter((s) => s.model === m.model).map((s) => s.gpus),
    );
    if (price && gpus > 0)
      out.push({
        product: 'reserved',
        gpuModel: m.model,
        fabricDomain: '',
        gpus,
        maxGpusPerNode: Math.min(largest, gpus),
        availableFrom: window.from,
        availableUntil: window.until,
        pricePerGpuHour: price.price,
      });
  }
  return out;
}
