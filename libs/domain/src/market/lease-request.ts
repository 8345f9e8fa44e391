/**
 * What a renter asks for (RentalService LeaseRequest, ADR 10), checked once for every call that
 * takes one (Quote, CreateLease) so both answer the same bad request with the same message.
 * The interruptible floor depends on the market, so the bid is checked against it apart
 * (`checkBid`), once the caller has priced the request.
 */
import { ValidationError, type FieldViolation } from '../errors';
import { findGpuModel, gpuModelIds } from '../gpu-models';
import type { LeaseProduct } from './lease';
import { formatDollars, type Micros } from './money';
import { MAX_PRICE_PER_GPU_HOUR, PRODUCT_EXPECTED } from './prices';

/** The limits of one lease. */
export const LEASE_LIMITS = {
  maxGpusPerNode: 64,
  maxNodes: 64,
  minDurationSeconds: 60,
  maxDurationSeconds: 30 * 24 * 3600,
  /** A reserved window starts at least this long after it is bought... */
  minReservedLeadSeconds: 60,
  /** ...and at most this long (its price is fixed when bought). */
  maxReservedLeadSeconds: 90 * 24 * 3600,
} as const;

/** A lease request as decoded from the wire; null where a field is unset or unknown. */
export interface LeaseRequestInput {
  readonly product: LeaseProduct | null;
  readonly gpuModel: string;
  readonly gpus: number;
  /** 0 means 1. */
  readonly nodes: number;
  readonly durationSeconds: number | null;
  /** Epoch ms. */
  readonly windowStartsAt: number | null;
  /** 0 when unset. */
  readonly bidPerGpuHour: number;
  /** '' for any. */
  readonly fabricDomain: string;
}

/** A valid lease request, defaults applied. */
export interface LeaseRequest {
  readonly product: LeaseProduct;
  /** The catalog id. */
  readonly gpuModel: string;
  /** GPUs on each node. */
  readonly gpus: number;
  readonly nodes: number;
  readonly durationSeconds: number;
  /** Reserved: the window's start (epoch ms); null otherwise. */
  readonly windowStartsAt: number | null;
  /** Interruptible: the bid per GPU-hour; null otherwise. */
  readonly bidPerGpuHour: Micros | null;
  /** null for any. */
  readonly fabricDomain: string | null;
}

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const between = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

/**
 * Checks a lease request at `now` (epoch ms); ValidationError with one violation per bad field,
 * named under `prefix` as the proto spells it (`lease.duration`). Every rule but the bid's floor.
 */
export function validateLeaseRequest(
  input: LeaseRequestInput,
  now: number,
  prefix = 'lease',
): LeaseRequest {
  const violations: FieldViolation[] = [];
  const fail = (field: string, message: string) =>
    violations.push({ field: `${prefix}.${field}`, message });
  const { product } = input;
  if (product === null) fail('product', PRODUCT_EXPECTED);
  const model = findGpuModel(input.gpuModel);
  if (!model) fail('gpu_model', `must be one of ${gpuModelIds().join(', ')}`);
  if (!between(input.gpus, 1, LEASE_LIMITS.maxGpusPerNode))
    fail('gpus', `must be from 1 to ${LEASE_LIMITS.maxGpusPerNode} (GPUs on each node)`);
  if (!between(input.nodes, 0, LEASE_LIMITS.maxNodes))
    fail('nodes', `must be from 1 to ${LEASE_LIMITS.maxNodes} (0 means 1)`);
  const { durationSeconds: duration } = input;
  if (duration === null) fail('duration', 'is required');
  else if (!between(duration, LEASE_LIMITS.minDurationSeconds, LEASE_LIMITS.maxDurationSeconds))
    fail('duration', 'must be whole seconds from 1 minute (60s) to 30 days (2592000s)');
  checkWindow(input, now, fail);
  checkBidField(input, fail);
  if (input.fabricDomain !== '' && !LABEL_VALUE.test(input.fabricDomain))
    fail('fabric_domain', 'must be a node label value (1-63 letters, digits, "-", "_" or ".")');
  if (violations.length > 0) throw new ValidationError(violations);
  return {
    product: product!,
    gpuModel: model!.id,
    gpus: input.gpus,
    nodes: input.nodes === 0 ? 1 : input.nodes,
    durationSeconds: duration!,
    windowStartsAt: product === 'reserved' ? input.windowStartsAt : null,
    bidPerGpuHour: product === 'interruptible' ? input.bidPerGpuHour : null,
    fabricDomain: input.fabricDomain === '' ? null : input.fabricDomain,
  };
}

type Fail = (field: string, message: string) => void;

function checkWindow(input: LeaseRequestInput, now: number, fail: Fail): void {
  const start = input.windowStartsAt;
  if (input.product !== 'reserved') {
    if (start !== null)
      fail('window_start_time', 'must be unset unless product is LEASE_PRODUCT_RESERVED');
    return;
  }
  const { minReservedLeadSeconds: min, maxReservedLeadSeconds: max } = LEASE_LIMITS;
  if (start === null) fail('window_start_time', 'is required for a reserved lease');
  else if (start < now + min * 1000)
    fail(
      'window_start_time',
      `must be at least 1 minute from now (after ${new Date(now + min * 1000).toISOString()})`,
    );
  else if (start > now + max * 1000)
    fail(
      'window_start_time',
      `must be at most 90 days from now (before ${new Date(now + max * 1000).toISOString()})`,
    );
}

function checkBidField(input: LeaseRequestInput, fail: Fail): void {
  const bid = input.bidPerGpuHour;
  if (input.product !== 'interruptible') {
    if (bid !== 0)
      fail(
        'bid_micros_per_gpu_hour',
        'must be unset unless product is LEASE_PRODUCT_INTERRUPTIBLE',
      );
    return;
  }
  if (!Number.isSafeInteger(bid) || bid <= 0 || bid > MAX_PRICE_PER_GPU_HOUR)
    fail(
      'bid_micros_per_gpu_hour',
      `is required for an interruptible lease: micro-dollars per GPU-hour from 1 to ${MAX_PRICE_PER_GPU_HOUR} (${formatDollars(MAX_PRICE_PER_GPU_HOUR)})`,
    );
}

/**
 * An interruptible request's bid must reach the floor (the interruptible price now): else a
 * ValidationError on `<prefix>.bid_micros_per_gpu_hour` that says the floor.
 */
export function checkBid(request: LeaseRequest, floor: Micros, prefix = 'lease'): void {
  if (request.product !== 'interruptible' || request.bidPerGpuHour === null) return;
  if (request.bidPerGpuHour < floor)
    throw ValidationError.field(
      `${prefix}.bid_micros_per_gpu_hour`,
      `must be at least the floor, ${floor} micro-dollars (${formatDollars(floor)}) per GPU-hour for ${request.gpuModel} now`,
    );
}

/**
 * What a lease of `request` costs in all at `pricePerGpuHour`: price x GPUs x nodes x hours,
 * rounded half up to the micro-dollar (exact: computed in integers).
 */
export function leaseTotal(
  request: Pick<LeaseRequest, 'gpus' | 'nodes' | 'durationSeconds'>,
  pricePerGpuHour: Micros,
): Micros {
  const gpuSeconds = BigInt(request.gpus * request.nodes * request.durationSeconds);
  return Number((gpuSeconds * BigInt(pricePerGpuHour) * 2n + 3600n) / 7200n);
}
