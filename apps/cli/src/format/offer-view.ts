/**
 * What is for sale: the `offers` table and a `quote`'s price with how it was derived.
 */
import { LeaseProduct, type LeaseRequest, type Offer, type QuoteResponse } from '@gantry/proto';
import { formatMoney, formatPrice } from '../market/dollars';
import { productName } from '../market/names';
import { formatTime } from '../market/time-input';
import { formatDuration } from '../spec/duration';
import { leaseGpus } from './lease-view';
import { renderFields, renderTable } from './table';

/** An interruptible offer's price is the floor a bid must reach: `>=$0.90/GPU-h`. */
function offerPrice(offer: Offer): string {
  const price = formatPrice(offer.priceMicrosPerGpuHour);
  return offer.product === LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE ? `>=${price}` : price;
}

/** `now`, or when the capacity becomes available. */
function from(time: Date | undefined, now: number): string {
  return !time || time.getTime() <= now ? 'now' : formatTime(time);
}

/** How long it is forecast to stay available; `-` when open-ended. */
function span(offer: Offer, now: number): string {
  if (!offer.availableUntil) return '';
  const start = Math.max(now, offer.availableFrom?.getTime() ?? now);
  return formatDuration((offer.availableUntil.getTime() - start) / 1000);
}

/** `interruptible`, or `interruptible (outbid)` for GPUs leases hold that a higher bid displaces. */
function offerProduct(offer: Offer): string {
  return offer.outbid ? `${productName(offer.product)} (outbid)` : productName(offer.product);
}

/**
 * `gantry offers`: PRODUCT MODEL DOMAIN GPUS PER-NODE PRICE FROM FOR (wide: UNTIL). An outbid
 * line (ADR 12) starts after the displaced leases' notice: FROM says so.
 */
export function renderOfferTable(offers: readonly Offer[], now: number, wide: boolean): string {
  const columns = [
    { header: 'PRODUCT', value: offerProduct },
    { header: 'MODEL', value: (o: Offer) => o.gpuModel },
    { header: 'DOMAIN', value: (o: Offer) => o.fabricDomain },
    { header: 'GPUS', value: (o: Offer) => String(o.gpus), align: 'right' as const },
    { header: 'PER-NODE', value: (o: Offer) => String(o.maxGpusPerNode), align: 'right' as const },
    { header: 'PRICE', value: offerPrice, align: 'right' as const },
    {
      header: 'FROM',
      value: (o: Offer) => (o.outbid ? 'after notice' : from(o.availableFrom, now)),
    },
    { header: 'FOR', value: (o: Offer) => span(o, now), align: 'right' as const },
  ];
  const all = wide
    ? [...columns, { header: 'UNTIL', value: (o: Offer) => formatTime(o.availableUntil) }]
    : columns;
  return renderTable(all, offers, { wide });
}

const figure = (n: number) => String(Math.round(n * 100) / 100);

/** `gantry quote`: what the lease would cost, whether it can start now, and why the price. */
export function renderQuote(request: LeaseRequest, quote: QuoteResponse): string {
  const seconds = request.duration?.seconds ?? 0;
  const gpus = request.gpus * (request.nodes || 1);
  const interruptible = request.product === LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE;
  const priceNote = interruptible
    ? request.bidMicrosPerGpuHour
      ? ' (your bid)'
      : ' (the floor: bid at least this)'
    : '';
  const d = quote.derivation;
  const fields: [string, string][] = [
    [
      'Lease',
      `${productName(request.product)}, ${leaseGpus(request)} for ${formatDuration(seconds)}`,
    ],
    ['Price', `${formatPrice(quote.priceMicrosPerGpuHour)}${priceNote}`],
    ['Total', `${formatMoney(quote.totalMicros)} (${gpus} GPUs x ${formatDuration(seconds)})`],
    [
      'Available',
      quote.available
        ? quote.outbids
          ? 'yes, by outbidding: a lease bought now starts once the leases it displaces have had their notice'
          : 'yes: a lease bought now starts at once'
        : `not now${quote.message ? `: ${quote.message}` : ''}`,
    ],
  ];
  if (d) {
    fields.push([
      'Bounds',
      `base ${formatPrice(d.baseMicrosPerGpuHour)}, min ${formatMoney(d.minMicrosPerGpuHour)}, ` +
        `max ${formatMoney(d.maxMicrosPerGpuHour)}`,
    ]);
    fields.push([
      'Demand',
      `queue pressure ${figure(d.queuePressure)} (weight ${figure(d.pressureWeight)}), ` +
        `utilization ${figure(d.utilization)} (weight ${figure(d.utilizationWeight)})`,
    ]);
    if (d.explanation) fields.push(['How', d.explanation]);
  }
  if (quote.available && quote.message) fields.push(['Note', quote.message]);
  return renderFields(fields);
}
