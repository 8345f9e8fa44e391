/**
 * Price bounds (ADR 10): per GPU model and product, the admin sets a base price and the range
 * the market price may move in (micro-dollars per GPU-hour). The market price itself is policy
 * (libs/scheduling market/pricing.ts); here are the records, their checks and the defaults.
 */
import { ValidationError, type FieldViolation } from '../errors';
import { findGpuModel, GPU_MODELS } from '../gpu-models';
import { LEASE_PRODUCTS, type LeaseProduct } from './lease';
import { formatDollars, MICROS_PER_DOLLAR, type Micros } from './money';

/** A product's price bounds on a GPU model, per GPU-hour: min <= base <= max, all > 0. */
export interface PriceBounds {
  /** A catalog id (`H100-80GB`). */
  readonly gpuModel: string;
  readonly product: LeaseProduct;
  /** The price when the cluster is idle and nothing waits. */
  readonly base: Micros;
  readonly min: Micros;
  readonly max: Micros;
}

/** No bound may exceed $100 per GPU-hour: keeps every lease's total far inside MAX_MICROS. */
export const MAX_PRICE_PER_GPU_HOUR: Micros = 100 * MICROS_PER_DOLLAR;

/** What a product field must be, as the proto names them. */
export const PRODUCT_EXPECTED =
  'must be LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED';

/** The GPU model the default bounds are written for; other models scale by relative speed. */
export const REFERENCE_GPU_MODEL = 'H100-80GB';

const dollars = (amount: number): Micros => Math.round(amount * MICROS_PER_DOLLAR);

/**
 * The default bounds of the reference model (an H100-80GB), per GPU-hour: on-demand $2.50 in
 * [$1.50, $6.00]; interruptible (the floor a bid must reach) $1.20 in [$0.60, $4.00]; reserved
 * $2.00 in [$1.20, $5.00].
 */
export const REFERENCE_PRICE_BOUNDS: Readonly<
  Record<LeaseProduct, Pick<PriceBounds, 'base' | 'min' | 'max'>>
> = {
  'on-demand': { base: dollars(2.5), min: dollars(1.5), max: dollars(6) },
  interruptible: { base: dollars(1.2), min: dollars(0.6), max: dollars(4) },
  reserved: { base: dollars(2), min: dollars(1.2), max: dollars(5) },
};

/** A reference amount scaled by a relative speed, to the cent (at least one cent). */
function scaled(amount: Micros, relativeSpeed: number): Micros {
  // Round to the micro-dollar first: 1_500_000 x 0.35 is 524999.99999999997 in floating point.
  const cents = Math.max(1, Math.round(Math.round(amount * relativeSpeed) / 10_000));
  return Math.min(cents * 10_000, MAX_PRICE_PER_GPU_HOUR);
}

/**
 * The bounds seeded for every catalog model and product when none are set: the reference
 * bounds times the model's relative speed (an A100-80GB, 0.35, is offered on demand at $0.88),
 * rounded to the cent. Rounding is monotonic, so min <= base <= max still holds.
 */
export function defaultPriceBounds(): PriceBounds[] {
  return GPU_MODELS.flatMap((model) =>
    LEASE_PRODUCTS.map((product) => {
      const reference = REFERENCE_PRICE_BOUNDS[product];
      return {
        gpuModel: model.id,
        product,
        base: scaled(reference.base, model.relativeSpeed),
        min: scaled(reference.min, model.relativeSpeed),
        max: scaled(reference.max, model.relativeSpeed),
      };
    }),
  );
}

/** Price bounds as a client sent them; `product` null when unset or unknown. */
export interface PriceBoundsInput {
  readonly gpuModel: string;
  readonly product: LeaseProduct | null;
  readonly base: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Checks bounds a client sent; returns them with the model's catalog id. ValidationError with
 * one violation per bad field, each named under `prefix` as the proto spells it
 * (`bounds.min_micros_per_gpu_hour`).
 */
export function checkPriceBounds(input: PriceBoundsInput, prefix = 'bounds'): PriceBounds {
  const violations: FieldViolation[] = [];
  const fail = (field: string, message: string) =>
    violations.push({ field: `${prefix}.${field}`, message });
  const model = findGpuModel(input.gpuModel);
  if (!model) fail('gpu_model', `must be one of ${GPU_MODELS.map((m) => m.id).join(', ')}`);
  if (input.product === null) fail('product', PRODUCT_EXPECTED);
  const amounts = [
    ['base_micros_per_gpu_hour', input.base],
    ['min_micros_per_gpu_hour', input.min],
    ['max_micros_per_gpu_hour', input.max],
  ] as const;
  let amountsValid = true;
  for (const [field, value] of amounts) {
    if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_PRICE_PER_GPU_HOUR) {
      fail(
        field,
        `must be a whole number of micro-dollars from 1 to ${MAX_PRICE_PER_GPU_HOUR} (${formatDollars(MAX_PRICE_PER_GPU_HOUR)}) per GPU-hour`,
      );
      amountsValid = false;
    }
  }
  if (amountsValid) {
    if (input.min > input.base)
      fail(
        'min_micros_per_gpu_hour',
        `must be at most the base, ${input.base} (min <= base <= max)`,
      );
    if (input.max < input.base)
      fail(
        'max_micros_per_gpu_hour',
        `must be at least the base, ${input.base} (min <= base <= max)`,
      );
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return {
    gpuModel: model!.id,
    product: input.product!,
    base: input.base,
    min: input.min,
    max: input.max,
  };
}
