/**
 * Builders and a runner for the market commands' tests: leases, offers and events with
 * sensible defaults, and `gantry(...)` against a market double.
 */
import {
  Lease,
  LeaseEvent,
  LeaseProduct,
  LeaseState,
  Offer,
  type MarketSample,
} from '@gantry/proto';
import { runCli } from '../run-cli';
import { fakeEnvironment } from './fake-environment';
import { doubleLeaseId } from './market-state';
import { type MarketDouble } from './market-double';

export const NOW = new Date('2026-12-05T12:00:00Z');
export const LEASE_1 = doubleLeaseId(1);

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

export function aLease(partial: Partial<Lease> = {}): Lease {
  return Lease.fromPartial({
    id: LEASE_1,
    renter: 'acme',
    product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
    gpuModel: 'H100-80GB',
    gpus: 8,
    nodes: 1,
    priceMicrosPerGpuHour: 1_200_000,
    state: LeaseState.LEASE_STATE_ACTIVE,
    createTime: minutes(-30),
    startTime: minutes(-29),
    expireTime: minutes(90),
    notice: { seconds: 120 },
    gpuSeconds: 13_920,
    chargedMicros: 4_640_000,
    nodeNames: ['gpu-1'],
    ...partial,
  });
}

export function anOffer(partial: Partial<Offer> = {}): Offer {
  return Offer.fromPartial({
    product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
    gpuModel: 'H100-80GB',
    fabricDomain: 'ib-1',
    gpus: 16,
    maxGpusPerNode: 8,
    availableFrom: NOW,
    availableUntil: minutes(360),
    priceMicrosPerGpuHour: 2_500_000,
    ...partial,
  });
}

/** An event `seconds` after NOW. */
export function anEvent(
  sequence: number,
  type: string,
  seconds: number,
  more: Partial<LeaseEvent> = {},
): LeaseEvent {
  return LeaseEvent.fromPartial({
    sequence,
    type,
    time: new Date(NOW.getTime() + seconds * 1000),
    ...more,
  });
}

export function aSample(minute: number, internal: number, rented: number, idle: number) {
  return {
    time: minutes(minute),
    gpusTotal: internal + rented + idle,
    gpusInternal: internal,
    gpusRented: rented,
    gpusIdle: idle,
    revenueMicros: rented * 20_000,
    queuePressure: 0.25,
    prices: [],
  } satisfies MarketSample;
}

/** Runs `gantry args...` against the double; returns the exit code and what was printed. */
export async function gantry(
  double: MarketDouble,
  args: string[],
  options: { tty?: boolean } = {},
) {
  const env = fakeEnvironment(double.api, { now: NOW.getTime(), tty: options.tty });
  const code = await runCli(args, env.env);
  return { code, stdout: env.stdout.text, stderr: env.stderr.text, connected: env.connected };
}
