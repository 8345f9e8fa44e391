/**
 * `quote` and `lease create` flags -> gantry.v1.LeaseRequest. The CLI checks what only it can
 * name (a flag missing, malformed, or given to a product it does not apply to); ranges that
 * depend on the cluster (a node's GPUs, the floor price, a window's earliest start) are the
 * server's, and its messages are printed as they come.
 */
import { toDuration } from '@gantry/grpc';
import { LeaseProduct, type LeaseRequest } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { parseDuration } from '../spec/duration';
import { parseDollars } from './dollars';
import { parseProduct } from './names';
import { parseTime } from './time-input';

/** The flags as commander hands them over. */
export interface LeaseFlags {
  readonly product?: string;
  readonly gpus?: string;
  readonly nodes?: string;
  readonly gpuModel?: string;
  readonly fabricDomain?: string;
  readonly duration?: string;
  readonly bid?: string;
  readonly windowStart?: string;
}

/** A whole number at least 1 from a flag. */
export function positiveWhole(text: string, flag: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag}: must be a whole number, 1 or more (got '${text}')`);
  return Number(text);
}

function required<T>(value: T | undefined, flag: string, what: string): T {
  if (value === undefined) throw new UsageError(`${flag}: required: ${what}`);
  return value;
}

/**
 * Builds the request. `bidRequired`: buying an interruptible lease needs a bid; a quote without
 * one prices the floor.
 */
export function leaseRequestFromFlags(
  flags: LeaseFlags,
  nowMs: number,
  options: { readonly bidRequired: boolean },
): LeaseRequest {
  const product = parseProduct(
    required(flags.product, '--product', 'interruptible, on-demand or reserved'),
  );
  const gpus = positiveWhole(required(flags.gpus, '--gpus', 'GPUs on each node'), '--gpus');
  const nodes = flags.nodes === undefined ? 1 : positiveWhole(flags.nodes, '--nodes');
  const gpuModel = required(flags.gpuModel, '--gpu-model', 'a GPU model such as H100-80GB').trim();
  if (gpuModel === '') throw new UsageError('--gpu-model: must not be empty');
  const seconds = parseDuration(
    required(flags.duration, '--duration', 'how long, like 2h or 30m'),
    '--duration',
  );
  if (seconds <= 0)
    throw new UsageError(`--duration: must be more than 0 (got '${flags.duration}')`);
  const interruptible = product === LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE;
  const reserved = product === LeaseProduct.LEASE_PRODUCT_RESERVED;
  if (flags.bid !== undefined && !interruptible)
    throw new UsageError(
      '--bid: only for --product interruptible (on-demand and reserved pay the quoted price)',
    );
  if (interruptible && flags.bid === undefined && options.bidRequired)
    throw new UsageError(
      '--bid: required for an interruptible lease: what you pay per GPU-hour, at least the ' +
        'floor (gantry offers --product interruptible shows it)',
    );
  if (flags.windowStart !== undefined && !reserved)
    throw new UsageError('--window-start: only for --product reserved');
  if (reserved && flags.windowStart === undefined)
    throw new UsageError(
      '--window-start: required for a reserved lease: when its window starts, like 2026-12-06T10:00Z',
    );
  const windowStart =
    flags.windowStart === undefined
      ? undefined
      : parseTime(flags.windowStart, '--window-start', nowMs, 'future');
  if (windowStart && windowStart.getTime() <= nowMs)
    throw new UsageError(`--window-start: must be in the future (got '${flags.windowStart}')`);
  return {
    product,
    gpuModel,
    gpus,
    nodes,
    duration: toDuration(seconds),
    windowStartTime: windowStart,
    bidMicrosPerGpuHour: flags.bid === undefined ? 0 : parseDollars(flags.bid, '--bid'),
    fabricDomain: flags.fabricDomain ?? '',
  };
}
