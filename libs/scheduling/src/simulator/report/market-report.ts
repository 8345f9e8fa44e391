/**
 * The market's part of a report (replays with renters): per policy, the renter demand, the
 * idle hours sold, internal queueing with and without renters, reclaims and money, and each
 * target of issue 5 with whether it is met.
 */
import { formatDollars } from '@gantry/domain';
import { MARKET_TARGETS, type RenterFigures } from '../market/market-figures';
import type { RenterDemandOptions } from '../market/renter-demand';
import type { SimulationReport } from '../simulate';

const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
const share = (value: number | null): string =>
  value === null ? '-' : `${(value * 100).toFixed(1)}%`;
const ratio = (value: number | null): string => (value === null ? '-' : value.toFixed(3));
const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');

interface Row {
  readonly label: string;
  readonly value: (f: RenterFigures) => string;
}

export const MARKET_ROWS: readonly Row[] = [
  { label: 'lease requests', value: (f) => whole(f.requests) },
  { label: 'leases bought', value: (f) => whole(f.leasesBought) },
  { label: 'requests with nothing for sale', value: (f) => whole(f.requestsTurnedAway) },
  { label: 'avg lease wait for its GPUs (s)', value: (f) => f.leaseAvgWaitSeconds.toFixed(1) },
  { label: 'idle GPU-hours without renters', value: (f) => whole(f.idleGpuHoursWithout) },
  { label: 'GPU-hours sold (in that window)', value: (f) => whole(f.soldGpuHours) },
  {
    label: `sold / idle (target >= ${MARKET_TARGETS.soldShareOfIdle * 100}%)`,
    value: (f) => `${share(f.soldShareOfIdle)} ${met(f.targets.soldShareOfIdle)}`,
  },
  {
    label: 'internal avg queueing delay without (s)',
    value: (f) => whole(f.internalAvgQueueDelayWithout),
  },
  {
    label: 'internal avg queueing delay with (s)',
    value: (f) => whole(f.internalAvgQueueDelayWith),
  },
  {
    label: `with / without (target <= ${MARKET_TARGETS.queueDelayRatio})`,
    value: (f) => `${ratio(f.queueDelayRatio)} ${met(f.targets.queueDelayRatio)}`,
  },
  {
    label: 'internal p95 queueing delay without / with (s)',
    value: (f) =>
      `${whole(f.internalP95QueueDelayWithout)} / ${whole(f.internalP95QueueDelayWith)}`,
  },
  {
    label: 'internal avg JCT without / with (s)',
    value: (f) => `${whole(f.internalAvgJctWithout)} / ${whole(f.internalAvgJctWith)}`,
  },
  {
    label: 'internal preemptions without / with',
    value: (f) => `${whole(f.internalPreemptionsWithout)} / ${whole(f.internalPreemptionsWith)}`,
  },
  { label: 'reclaims', value: (f) => whole(f.reclaims) },
  { label: 'reclaims with the full notice', value: (f) => whole(f.reclaimsWithFullNotice) },
  { label: 'reclaims credited (notice cut short)', value: (f) => whole(f.reclaimsCredited) },
  {
    label: 'reclaims neither noticed nor credited (target 0)',
    value: (f) => `${whole(f.reclaimsUnnoticedUncredited)} ${met(f.targets.noticeOrCredit)}`,
  },
  { label: 'leases noticed that expired first', value: (f) => whole(f.noticedThenExpired) },
  { label: 'revenue', value: (f) => formatDollars(f.revenueMicros) },
  { label: 'credits', value: (f) => formatDollars(f.creditsMicros) },
  { label: 'avg bid / floor', value: (f) => f.avgBidOverFloor.toFixed(3) },
];

export function describeRenters(r: RenterDemandOptions): string {
  const sizes = r.sizes.map(([gpus, weight]) => `${gpus}:${weight}`).join(',');
  return (
    `renters: ${r.ratePerHour} interruptible lease requests/h (Poisson), seed ${r.seed}, ` +
    `GPUs ${sizes}, duration exponential mean ${r.meanDurationSeconds} s in ` +
    `[${r.minDurationSeconds}, ${r.maxDurationSeconds}] s, bid floor x (1 + ${r.bidSpread} x U[0,1)), ` +
    `${r.renters} renters, notice ${r.noticeSeconds} s`
  );
}

/** One column of a market table: a replay with renters. */
export interface MarketColumn {
  readonly name: string;
  readonly figures: RenterFigures;
  readonly wallSeconds: number | null;
}

/** The market figures, one column per replay with renters, one row per figure. */
export function renderMarketTable(
  columns: readonly MarketColumn[],
  title = 'market (replay with renters vs without)',
): string {
  const rows = [
    [title, ...columns.map((c) => c.name)],
    ...MARKET_ROWS.map((row) => [row.label, ...columns.map((c) => row.value(c.figures))]),
  ];
  if (columns.every((c) => c.wallSeconds !== null))
    rows.push(['wall time with renters (s)', ...columns.map((c) => c.wallSeconds!.toFixed(1))]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    )
    .join('\n');
}

/** The market section of the text report; '' when no replay had renters. */
export function renderMarketSection(report: SimulationReport): string {
  const runs = report.runs.filter((run) => run.market !== null);
  if (runs.length === 0 || !report.input.renters) return '';
  const table = renderMarketTable(
    runs.map((run) => ({
      name: run.policy,
      figures: run.market!.figures,
      wallSeconds: run.market!.wallSeconds,
    })),
  );
  return [describeRenters(report.input.renters), '', table, ''].join('\n');
}
