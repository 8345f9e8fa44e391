/**
 * Market prices (ADR 10): each product's price on a GPU model follows internal demand inside
 * the admin's bounds,
 *
 *   price = clamp(min, max, base x (1 + a x pressure + b x utilization))
 *
 * in integer micro-dollars per GPU-hour (rounded half up before clamping), where pressure is the
 * pending internal GPUs over capacity and utilization the busy internal GPUs over capacity. The
 * interruptible price is the floor a bid must reach. Weights are >= 0, so a price never falls
 * as pressure or utilization rise.
 */
import type { LeaseProduct, Micros, PriceBounds } from '@gantry/domain';
import type { MarketFigures } from './figures';

export interface PriceWeights {
  /** a: how much the internal backlog (pending GPUs over capacity) raises the price. */
  readonly pressure: number;
  /** b: how much internal utilization (busy GPUs over capacity) raises the price. */
  readonly utilization: number;
}

/** A backlog as large as the model's capacity doubles the price; a fully busy model adds half. */
export const DEFAULT_PRICE_WEIGHTS: PriceWeights = { pressure: 1, utilization: 0.5 };

/** The demand a price follows. */
export interface Demand {
  readonly pressure: number;
  readonly utilization: number;
}

/** Every figure a price came from (the proto's PriceDerivation), and the price. */
export interface PriceDerivation {
  readonly base: Micros;
  readonly min: Micros;
  readonly max: Micros;
  readonly pressure: number;
  readonly utilization: number;
  readonly pressureWeight: number;
  readonly utilizationWeight: number;
  /** base x (1 + a x pressure + b x utilization), rounded, before the clamp. */
  readonly unclamped: Micros;
  readonly price: Micros;
  /** The formula with the figures in, one line, for people. */
  readonly explanation: string;
}

/** `$2.50`, `$3.875`, `$0.000001`: dollars with as many decimals as the amount needs (>= 2). */
export function formatPrice(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const fraction = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}$${Math.floor(abs / 1_000_000)}.${fraction.padEnd(2, '0')}`;
}

const figure = (n: number) => String(Math.round(n * 1000) / 1000);

/** A product's price from its bounds and the demand now, with its derivation. */
export function priceOf(
  bounds: Pick<PriceBounds, 'base' | 'min' | 'max'>,
  demand: Demand,
  weights: PriceWeights,
): PriceDerivation {
  const { base, min, max } = bounds;
  const factor = 1 + weights.pressure * demand.pressure + weights.utilization * demand.utilization;
  const unclamped = Math.floor(base * factor + 0.5);
  const price = Math.min(max, Math.max(min, unclamped));
  const formula =
    `${formatPrice(base)} x (1 + ${figure(weights.pressure)} x ${figure(demand.pressure)} pressure` +
    ` + ${figure(weights.utilization)} x ${figure(demand.utilization)} utilization)` +
    ` = ${formatPrice(unclamped)}`;
  const range = `[${formatPrice(min)}, ${formatPrice(max)}]`;
  const clamp =
    unclamped > max
      ? `, capped at the max ${formatPrice(max)}`
      : unclamped < min
        ? `, raised to the min ${formatPrice(min)}`
        : `, within ${range}`;
  return {
    base,
    min,
    max,
    pressure: demand.pressure,
    utilization: demand.utilization,
    pressureWeight: weights.pressure,
    utilizationWeight: weights.utilization,
    unclamped,
    price,
    explanation: `${formula}${clamp} per GPU-hour`,
  };
}

/** The demand on a model (none when the model has no capacity or is not in the figures). */
export function demandOn(figures: MarketFigures, model: string): Demand {
  const m = figures.models.get(model);
  return { pressure: m?.pressure ?? 0, utilization: m?.utilization ?? 0 };
}

/** Looks a product's price on a model up; undefined when it has no bounds. */
export type PriceLookup = (model: string, product: LeaseProduct) => PriceDerivation | undefined;

/** Every bounded product's price now, as a lookup. */
export function priceTable(
  bounds: readonly PriceBounds[],
  figures: MarketFigures,
  weights: PriceWeights,
): PriceLookup {
  const table = new Map<string, PriceDerivation>();
  for (const b of bounds)
    table.set(`${b.gpuModel}\n${b.product}`, priceOf(b, demandOn(figures, b.gpuModel), weights));
  return (model, product) => table.get(`${model}\n${product}`);
}
