/**
 * The market's admin views: renters with their balances, price bounds with the prices now.
 */
import { type PriceBounds, type Renter } from '@gantry/proto';
import { formatMoney, formatPrice } from '../market/dollars';
import { productName } from '../market/names';
import { formatTime } from '../market/time-input';
import { renderTable } from './table';

/** What a renter can still spend: its balance down to minus its spend limit. */
export const spendable = (r: Renter) => r.balanceMicros + r.spendLimitMicros;

/** `gantry renters list`: NAME BALANCE SPEND-LIMIT AVAILABLE LEASES CREATED. */
export function renderRenterTable(renters: readonly Renter[]): string {
  const money = (header: string, value: (r: Renter) => number) => ({
    header,
    value: (r: Renter) => formatMoney(value(r)),
    align: 'right' as const,
  });
  return renderTable(
    [
      { header: 'NAME', value: (r: Renter) => r.name },
      money('BALANCE', (r) => r.balanceMicros),
      money('SPEND-LIMIT', (r) => r.spendLimitMicros),
      money('AVAILABLE', spendable),
      { header: 'LEASES', value: (r: Renter) => String(r.activeLeases), align: 'right' as const },
      { header: 'CREATED', value: (r: Renter) => formatTime(r.createTime) },
    ],
    renters,
  );
}

/** `balance $85.20, spend limit $100.00 ($185.20 available)`. */
export function describeRenter(renter: Renter): string {
  return (
    `balance ${formatMoney(renter.balanceMicros)}, spend limit ` +
    `${formatMoney(renter.spendLimitMicros)} (${formatMoney(spendable(renter))} available)`
  );
}

/** `gantry prices list`: MODEL PRODUCT NOW BASE MIN MAX, by model then product. */
export function renderPriceTable(bounds: readonly PriceBounds[]): string {
  const sorted = [...bounds].sort(
    (a, b) => a.gpuModel.localeCompare(b.gpuModel) || a.product - b.product,
  );
  const price = (header: string, value: (b: PriceBounds) => number) => ({
    header,
    value: (b: PriceBounds) => formatPrice(value(b)),
    align: 'right' as const,
  });
  return renderTable(
    [
      { header: 'MODEL', value: (b: PriceBounds) => b.gpuModel },
      { header: 'PRODUCT', value: (b: PriceBounds) => productName(b.product) },
      price('NOW', (b) => b.currentMicrosPerGpuHour),
      price('BASE', (b) => b.baseMicrosPerGpuHour),
      price('MIN', (b) => b.minMicrosPerGpuHour),
      price('MAX', (b) => b.maxMicrosPerGpuHour),
    ],
    sorted,
  );
}

/** After `prices set`: the bounds saved and the price they give now. */
export function describePrice(bounds: PriceBounds): string {
  return (
    `prices of ${productName(bounds.product)} ${bounds.gpuModel} saved: base ` +
    `${formatPrice(bounds.baseMicrosPerGpuHour)}, min ${formatMoney(bounds.minMicrosPerGpuHour)}, ` +
    `max ${formatMoney(bounds.maxMicrosPerGpuHour)}; now ${formatPrice(bounds.currentMicrosPerGpuHour)}`
  );
}
