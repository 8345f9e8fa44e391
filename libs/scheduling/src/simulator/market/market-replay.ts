/**
 * The same replay again with renters (issue 5): the engine input of a replay without renters,
 * plus the market's queues and lease class as the control plane makes them (MarketSetup: the
 * `market` organization with no guarantee, its leaf `market-interruptible`, the class
 * `rental-interruptible` whose grace is the notice), plus renters buying leases from the offers
 * (renters.ts) from the replay's first second until the replay without renters ended. Then the
 * market's figures beside that replay's (market-figures.ts).
 */
import { LEASE_CLASSES, LEASE_QUEUE, MARKET_ORG } from '@gantry/domain';
import type { PriorityClass, QueueSpec } from '../../model';
import { runEngine } from '../engine/engine';
import type { EngineInput, EngineResult, JobRecord } from '../engine/types';
import { computeFigures, type Figures } from '../metrics/metrics';
import { meterSimLease, type LeaseOutcome } from './lease-metering';
import { renterFigures, replayWindow, type RenterFigures } from './market-figures';
import { RenterDemand, type RenterDemandOptions, type RequestStream } from './renter-demand';
import { RenterMarket } from './renters';

export interface RenterReplay {
  /** The engine's result with renters: the trace's jobs' records, then the leases'. */
  readonly result: EngineResult;
  readonly market: RenterMarket;
  readonly outcomes: readonly LeaseOutcome[];
  /** The trace's jobs' figures in the replay with renters. */
  readonly internal: Figures;
  readonly figures: RenterFigures;
}

/** The market's queues as MarketSetup makes them: no guarantee, no maximum. */
export const MARKET_QUEUES: readonly QueueSpec[] = [
  { name: MARKET_ORG, parent: null, guaranteed: {}, max: {}, weight: 1 },
  { name: LEASE_QUEUE.interruptible, parent: MARKET_ORG, guaranteed: {}, max: {}, weight: 1 },
];

/** The interruptible lease class with the notice as its grace (MarketSetup keeps them equal). */
export function interruptibleClass(noticeSeconds: number): PriorityClass {
  const cls = LEASE_CLASSES.find((c) => c.name === 'rental-interruptible')!;
  return { ...cls, gracePeriodSeconds: noticeSeconds };
}

/** The replay's queues and classes with the market's added (classes given win). */
export function withMarket(
  input: Pick<EngineInput, 'queues' | 'classes'>,
  noticeSeconds: number,
): Pick<EngineInput, 'queues' | 'classes'> {
  const known = new Set(input.queues.map((q) => q.name));
  const lease = interruptibleClass(noticeSeconds);
  return {
    queues: [...input.queues, ...MARKET_QUEUES.filter((q) => !known.has(q.name))],
    classes: input.classes.some((c) => c.name === lease.name)
      ? input.classes
      : [...input.classes, lease],
  };
}

/**
 * Replays `input` with renters. `without` is the same input's replay without them: its window
 * (first submit to last end) bounds the renters' arrivals and is where idle and sold hours
 * are counted. `requests` replaces the seeded stream of `demand` (tests script their own).
 */
export function replayWithRenters(
  input: EngineInput,
  without: EngineResult,
  demand: RenterDemandOptions,
  requests?: RequestStream,
): RenterReplay {
  const window = replayWindow(without);
  const market = new RenterMarket(
    requests ?? new RenterDemand(demand, window.end),
    input.epochMs ?? 0,
  );
  const result = runEngine({
    ...input,
    ...withMarket(input, demand.noticeSeconds),
    submitter: market,
  });
  const byId = new Map<string, JobRecord>();
  const internalRecords: JobRecord[] = [];
  for (const record of result.records) {
    if (market.leases.has(record.id)) byId.set(record.id, record);
    else internalRecords.push(record);
  }
  const outcomes = [...market.leases.values()].map((lease) =>
    meterSimLease(lease, byId.get(lease.id), input.epochMs ?? 0),
  );
  const noticed = outcomes.filter((o) => o.noticeAt !== null).length;
  const internalResult: EngineResult = {
    ...result,
    records: internalRecords,
    unfinished: result.unfinished.filter((id) => !market.leases.has(id)),
    busyGpuSeconds: internalRecords.reduce(
      (sum, r) => sum + r.runs.reduce((s, run) => s + (run.endAt - run.startAt) * r.gpus, 0),
      0,
    ),
    preemptions: result.preemptions - noticed,
  };
  const internal = computeFigures(internalResult).figures;
  const before = computeFigures(without).figures;
  return {
    result,
    market,
    outcomes,
    internal,
    figures: renterFigures({ without, before, internal, market, outcomes, window }),
  };
}
