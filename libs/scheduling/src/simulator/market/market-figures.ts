/**
 * The market's figures of a replay with renters beside the same replay without them (issue 5),
 * and its targets:
 *  - idle GPU-hours without renters: capacity x the window (the replay without renters, first
 *    submit to last end) minus the GPU-hours internal jobs held in it;
 *  - sold GPU-hours: what leases delivered inside that window (start to end, notice included);
 *    sold / idle must be at least 80%;
 *  - internal queueing delay (first start - submit, the trace's jobs only), average with and
 *    without renters; with / without must be at most 1.05;
 *  - reclaims (leases the policy preempted that did not reach their own end first): with the
 *    full notice, credited (less notice than promised, the shortfall credited), and neither
 *    (must be 0).
 * Money in micro-dollars: what leases were charged (meterLease) and credited (creditOwed).
 */
import type { EngineResult } from '../engine/types';
import type { Figures } from '../metrics/metrics';
import { mean } from '../metrics/stats';
import type { LeaseOutcome } from './lease-metering';
import type { RenterMarket } from './renters';

export const MARKET_TARGETS = {
  /** Sold GPU-hours over the idle GPU-hours of the replay without renters: at least. */
  soldShareOfIdle: 0.8,
  /** Internal average queueing delay with renters over without: at most. */
  queueDelayRatio: 1.05,
  /** Reclaims with neither the full notice nor a credit: at most. */
  brokenReclaims: 0,
} as const;

export interface ReplayWindow {
  /** Seconds from the replay's start. */
  readonly start: number;
  readonly end: number;
}

/** The replay's first submit to its last end (its makespan). */
export function replayWindow(result: EngineResult): ReplayWindow {
  let start = Infinity;
  let end = -Infinity;
  for (const r of result.records) {
    start = Math.min(start, r.submitAt);
    end = Math.max(end, r.endAt);
  }
  return result.records.length > 0 ? { start, end } : { start: 0, end: 0 };
}

export interface RenterFigures {
  /** Lease requests the renters made, leases bought, requests that found nothing for sale. */
  readonly requests: number;
  readonly leasesBought: number;
  readonly requestsTurnedAway: number;
  /** Leases whose job never ended (never placed): should be 0. */
  readonly leasesUnfinished: number;
  /** Average seconds from a purchase to its GPUs (the lease job placed). */
  readonly leaseAvgWaitSeconds: number;
  readonly windowSeconds: number;
  readonly capacityGpus: number;
  readonly idleGpuHoursWithout: number;
  readonly soldGpuHours: number;
  /** sold / idle (null without idle hours). */
  readonly soldShareOfIdle: number | null;
  /** Everything leases delivered, after the window included. */
  readonly deliveredGpuHours: number;
  readonly internalAvgQueueDelayWithout: number;
  readonly internalAvgQueueDelayWith: number;
  /** with / without (null when without is 0). */
  readonly queueDelayRatio: number | null;
  readonly internalP95QueueDelayWithout: number;
  readonly internalP95QueueDelayWith: number;
  readonly internalAvgJctWithout: number;
  readonly internalAvgJctWith: number;
  /** Internal jobs preempted for internal work (not leases reclaimed). */
  readonly internalPreemptionsWithout: number;
  readonly internalPreemptionsWith: number;
  readonly reclaims: number;
  readonly reclaimsWithFullNotice: number;
  readonly reclaimsCredited: number;
  /** Reclaims given less notice than promised and not credited: must be 0. */
  readonly reclaimsUnnoticedUncredited: number;
  /** Leases told to stop that reached their own end during the notice (not reclaims). */
  readonly noticedThenExpired: number;
  readonly revenueMicros: number;
  readonly creditsMicros: number;
  /** Average bid over the floor when bought. */
  readonly avgBidOverFloor: number;
  readonly targets: {
    readonly soldShareOfIdle: boolean;
    readonly queueDelayRatio: boolean;
    readonly noticeOrCredit: boolean;
  };
}

export interface RenterFigureInputs {
  readonly without: EngineResult;
  /** The figures of `without`. */
  readonly before: Figures;
  /** The trace's jobs' figures with renters. */
  readonly internal: Figures;
  readonly market: RenterMarket;
  readonly outcomes: readonly LeaseOutcome[];
  readonly window: ReplayWindow;
}

/** GPU-seconds of [from, to) x gpus inside the window. */
function inside(window: ReplayWindow, from: number, to: number, gpus: number): number {
  return Math.max(0, Math.min(to, window.end) - Math.max(from, window.start)) * gpus;
}

export function renterFigures(inputs: RenterFigureInputs): RenterFigures {
  const { without, before, internal, market, outcomes, window } = inputs;
  const windowSeconds = window.end - window.start;
  const idle = without.capacityGpus * windowSeconds - without.busyGpuSeconds;
  let sold = 0;
  let delivered = 0;
  let revenue = 0;
  let credits = 0;
  let reclaims = 0;
  let full = 0;
  let credited = 0;
  let broken = 0;
  let noticedThenExpired = 0;
  const waits: number[] = [];
  for (const o of outcomes) {
    revenue += o.chargedMicros;
    credits += o.creditedMicros;
    if (o.startedAt === null || o.endedAt === null) continue;
    waits.push(o.startedAt - o.lease.boughtAt);
    delivered += (o.endedAt - o.startedAt) * o.lease.gpus;
    sold += inside(window, o.startedAt, o.endedAt, o.lease.gpus);
    if (o.endReason === 'expired' && o.noticeAt !== null) noticedThenExpired += 1;
    if (o.endReason !== 'reclaimed') continue;
    reclaims += 1;
    if (o.fullNotice) full += 1;
    else if (o.creditedMicros > 0) credited += 1;
    else broken += 1;
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const soldShare = ratio(sold, idle);
  const delayRatio = ratio(internal.avgQueueDelay, before.avgQueueDelay);
  const leases = [...market.leases.values()];
  return {
    requests: market.requests,
    leasesBought: leases.length,
    requestsTurnedAway: market.turnedAway,
    leasesUnfinished: outcomes.filter((o) => o.endedAt === null).length,
    leaseAvgWaitSeconds: mean(waits),
    windowSeconds,
    capacityGpus: without.capacityGpus,
    idleGpuHoursWithout: idle / 3600,
    soldGpuHours: sold / 3600,
    soldShareOfIdle: soldShare,
    deliveredGpuHours: delivered / 3600,
    internalAvgQueueDelayWithout: before.avgQueueDelay,
    internalAvgQueueDelayWith: internal.avgQueueDelay,
    queueDelayRatio: delayRatio,
    internalP95QueueDelayWithout: before.p95QueueDelay,
    internalP95QueueDelayWith: internal.p95QueueDelay,
    internalAvgJctWithout: before.avgJct,
    internalAvgJctWith: internal.avgJct,
    internalPreemptionsWithout: before.preemptions,
    internalPreemptionsWith: internal.preemptions,
    reclaims,
    reclaimsWithFullNotice: full,
    reclaimsCredited: credited,
    reclaimsUnnoticedUncredited: broken,
    noticedThenExpired,
    revenueMicros: revenue,
    creditsMicros: credits,
    avgBidOverFloor: mean(leases.map((l) => l.bidPerGpuHour / l.floorPerGpuHour)),
    targets: {
      soldShareOfIdle: soldShare !== null && soldShare >= MARKET_TARGETS.soldShareOfIdle,
      queueDelayRatio: delayRatio === null || delayRatio <= MARKET_TARGETS.queueDelayRatio,
      noticeOrCredit: broken <= MARKET_TARGETS.brokenReclaims,
    },
  };
}
