/**
 * Seeded renter demand for a replay (issue 5): a stream of interruptible lease requests, the
 * same for the same options whatever the replay does with them. Documented distribution:
 *  - arrivals: a Poisson process of `ratePerHour` requests per hour (exponential gaps), each at
 *    the next whole second (requests may share a second);
 *  - size: one node with 1, 2, 4 or 8 GPUs, drawn with `sizes`' weights (by default 40%, 25%,
 *    20%, 15%: mean 2.9 GPUs);
 *  - duration: exponential with mean `meanDurationSeconds` (default 1 h), rounded up to the
 *    whole second, within [`minDurationSeconds`, `maxDurationSeconds`] (default 1 min, the
 *    shortest lease, to 24 h);
 *  - bid: the interruptible floor when the lease is bought times 1 + `bidSpread` x u, u uniform
 *    in [0, 1) (default spread 0.5: up to 50% above the floor), rounded up to the cent;
 *  - renter: one of `renters` tenants, `renter-01` .. uniformly.
 * Draws come from one mulberry32 stream seeded by hash('renters:' + seed), five per request in
 * a fixed order (gap, size, duration, bid, renter), so a request's fields never depend on what
 * the replay did. The stream is lazy: a long replay makes a million requests.
 */
import { DEFAULT_NOTICE_SECONDS, LEASE_LIMITS } from '@gantry/domain';
import { hashString, mulberry32, weightedChoice, type Random } from '../prng';

export interface RenterDemandOptions {
  /** Mean lease requests per hour (Poisson arrivals). */
  readonly ratePerHour: number;
  readonly seed: number;
  /** GPUs on the one node a request asks for, with weights (need not sum to 1). */
  readonly sizes: readonly (readonly [gpus: number, weight: number])[];
  readonly meanDurationSeconds: number;
  readonly minDurationSeconds: number;
  readonly maxDurationSeconds: number;
  /** A bid is the floor times 1 + bidSpread x u, u uniform in [0, 1). */
  readonly bidSpread: number;
  /** How many renters the requests come from. */
  readonly renters: number;
  /** The notice each lease is promised before its GPUs are taken back, seconds. */
  readonly noticeSeconds: number;
}

/**
 * One request every 10 s on average: far more than a cluster's idle GPUs can hold (360 an hour
 * of 2.9 GPUs for an hour is ~1,000 GPUs wanted at any time), so what sells is what the offers
 * leave, not what renters want.
 */
export const DEFAULT_RENTER_DEMAND: RenterDemandOptions = {
  ratePerHour: 360,
  seed: 1,
  sizes: [
    [1, 0.4],
    [2, 0.25],
    [4, 0.2],
    [8, 0.15],
  ],
  meanDurationSeconds: 3600,
  minDurationSeconds: LEASE_LIMITS.minDurationSeconds,
  maxDurationSeconds: 24 * 3600,
  bidSpread: 0.5,
  renters: 20,
  noticeSeconds: DEFAULT_NOTICE_SECONDS,
};

export interface RenterRequest {
  /** `lease-000001`, in arrival order. */
  readonly id: string;
  /** Seconds from the replay's start. */
  readonly at: number;
  readonly renter: string;
  /** GPUs on one node. */
  readonly gpus: number;
  readonly durationSeconds: number;
  /** u of the bid: the bid is the floor x (1 + bidSpread x bidDraw). */
  readonly bidDraw: number;
}

/** Checks the options at the boundary; RangeError naming the option. */
export function checkRenterDemand(options: RenterDemandOptions): RenterDemandOptions {
  const fail = (name: string, expected: string, got: unknown) => {
    throw new RangeError(`renters ${name}: must be ${expected} (got ${String(got)})`);
  };
  const o = options;
  if (!(o.ratePerHour > 0 && o.ratePerHour <= 360_000))
    fail('rate', 'requests per hour > 0 and <= 360000', o.ratePerHour);
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 2 ** 32 - 1))
    fail('seed', 'a whole number from 0 to 4294967295', o.seed);
  if (o.sizes.length === 0) fail('sizes', 'at least one size', '[]');
  for (const [gpus, weight] of o.sizes) {
    if (!(Number.isInteger(gpus) && gpus >= 1 && gpus <= LEASE_LIMITS.maxGpusPerNode))
      fail('sizes', `GPU counts from 1 to ${LEASE_LIMITS.maxGpusPerNode}`, gpus);
    if (!(weight > 0 && Number.isFinite(weight))) fail('sizes', 'weights > 0', weight);
  }
  const { minDurationSeconds: min, maxDurationSeconds: max } = o;
  if (!(Number.isInteger(min) && min >= LEASE_LIMITS.minDurationSeconds))
    fail('min duration', `whole seconds >= ${LEASE_LIMITS.minDurationSeconds}`, min);
  if (!(Number.isInteger(max) && max >= min && max <= LEASE_LIMITS.maxDurationSeconds))
    fail('max duration', `whole seconds from the min to ${LEASE_LIMITS.maxDurationSeconds}`, max);
  if (!(o.meanDurationSeconds >= min && o.meanDurationSeconds <= max))
    fail('duration', `seconds from ${min} to ${max}`, o.meanDurationSeconds);
  if (!(o.bidSpread >= 0 && o.bidSpread <= 10)) fail('bid spread', 'from 0 to 10', o.bidSpread);
  if (!(Number.isInteger(o.renters) && o.renters >= 1 && o.renters <= 1000))
    fail('count', 'a whole number from 1 to 1000', o.renters);
  if (!(Number.isInteger(o.noticeSeconds) && o.noticeSeconds >= 0 && o.noticeSeconds <= 3600))
    fail('notice', 'whole seconds from 0 to 3600', o.noticeSeconds);
  return options;
}

/** Lease requests in arrival order, as the renters' market takes them. */
export interface RequestStream {
  readonly options: Pick<RenterDemandOptions, 'bidSpread' | 'noticeSeconds'>;
  /** The next request, not taken yet; undefined when the stream has ended. */
  peek(): RenterRequest | undefined;
  take(): RenterRequest | undefined;
}

/** The requests of one replay, from second 0 until (not including) `until`, drawn lazily. */
export class RenterDemand implements RequestStream {
  private readonly random: Random;
  private clock = 0;
  private count = 0;
  private upcoming: RenterRequest | undefined;

  constructor(
    readonly options: RenterDemandOptions,
    readonly until: number,
  ) {
    checkRenterDemand(options);
    this.random = mulberry32(hashString(`renters:${options.seed}`));
    this.upcoming = this.draw();
  }

  /** The next request, not taken yet; undefined when the stream has ended. */
  peek(): RenterRequest | undefined {
    return this.upcoming;
  }

  /** Takes the next request. */
  take(): RenterRequest | undefined {
    const request = this.upcoming;
    if (request) this.upcoming = this.draw();
    return request;
  }

  private draw(): RenterRequest | undefined {
    const o = this.options;
    // Exponential gaps: -ln(1 - u) / rate, u in [0, 1) so the log is finite.
    this.clock += (-Math.log(1 - this.random()) / o.ratePerHour) * 3600;
    const gpus = weightedChoice(this.random, o.sizes);
    const exponential = -Math.log(1 - this.random()) * o.meanDurationSeconds;
    const durationSeconds = Math.min(
      o.maxDurationSeconds,
      Math.max(o.minDurationSeconds, Math.ceil(exponential)),
    );
    const bidDraw = this.random();
    const renter = Math.floor(this.random() * o.renters) + 1;
    const at = Math.ceil(this.clock);
    if (at >= this.until) return undefined;
    this.count += 1;
    return {
      id: `lease-${String(this.count).padStart(6, '0')}`,
      at,
      renter: `renter-${String(renter).padStart(2, '0')}`,
      gpus,
      durationSeconds,
      bidDraw,
    };
  }
}
