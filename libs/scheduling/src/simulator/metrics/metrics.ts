/**
 * The figures of one replay, from its job records:
 *  - JCT (job completion time) = end - submit: mean, p50, p95, p99 (nearest rank);
 *  - queueing delay = first start - submit: mean and p95; longest wait = the most time one job
 *    spent pending in all (first wait plus waits after preemptions);
 *  - utilization = busy GPU-seconds / (GPUs x makespan), makespan = last end - first submit;
 *  - slowdown = max(1, JCT / max(duration, 10 s)), Feitelson's bounded slowdown (a 1-second
 *    job that waits a minute is not 60 times worse off than a day-long job that waits a day;
 *    never below 1); per tenant the mean; fairness = Jain's index over tenants of
 *    1 / mean slowdown;
 *  - preemptions, work lost to them, cycles and the policy's CPU time per cycle (mean, p99).
 * Every figure but the CPU times is a pure function of the replay, so equal seeds give equal
 * figures.
 */
import type { EngineResult, JobRecord } from '../engine/types';
import { jainIndex, mean, percentiles, ratio } from './stats';

/** Durations under this count as this long in slowdowns, seconds. */
export const SLOWDOWN_BOUND_SECONDS = 10;

export interface Figures {
  readonly jobs: number;
  readonly unfinished: number;
  readonly avgJct: number;
  readonly p50Jct: number;
  readonly p95Jct: number;
  readonly p99Jct: number;
  readonly avgQueueDelay: number;
  readonly p95QueueDelay: number;
  readonly longestWait: number;
  readonly utilization: number;
  readonly makespan: number;
  readonly jainFairness: number;
  readonly avgSlowdown: number;
  readonly worstTenantSlowdown: number;
  readonly preemptions: number;
  readonly lostGpuHours: number;
  readonly cycles: number;
  readonly cycleCpuMsAvg: number;
  readonly cycleCpuMsP99: number;
}

export interface TenantFigures {
  readonly tenant: string;
  readonly jobs: number;
  readonly avgSlowdown: number;
  readonly avgJct: number;
}

export interface ReplayFigures {
  readonly figures: Figures;
  readonly tenants: readonly TenantFigures[];
}

export function slowdown(record: Pick<JobRecord, 'submitAt' | 'endAt' | 'duration'>): number {
  return Math.max(
    1,
    (record.endAt - record.submitAt) / Math.max(record.duration, SLOWDOWN_BOUND_SECONDS),
  );
}

function byTenant(records: readonly JobRecord[]): TenantFigures[] {
  const groups = new Map<string, JobRecord[]>();
  for (const record of records) {
    const group = groups.get(record.tenant);
    if (group) group.push(record);
    else groups.set(record.tenant, [record]);
  }
  return [...groups.keys()].sort().map((tenant) => {
    const group = groups.get(tenant)!;
    return {
      tenant,
      jobs: group.length,
      avgSlowdown: mean(group.map(slowdown)),
      avgJct: mean(group.map((r) => r.endAt - r.submitAt)),
    };
  });
}

export function computeFigures(result: EngineResult): ReplayFigures {
  const { records } = result;
  const jct = records.map((r) => r.endAt - r.submitAt);
  const delay = records.map((r) => r.firstStartAt - r.submitAt);
  const [p50, p95, p99] = percentiles(jct, [50, 95, 99]) as [number, number, number];
  const firstSubmit = records.reduce((least, r) => Math.min(least, r.submitAt), Infinity);
  const lastEnd = records.reduce((most, r) => Math.max(most, r.endAt), -Infinity);
  const makespan = records.length > 0 ? lastEnd - firstSubmit : 0;
  const tenants = byTenant(records);
  const [cpuP99] = percentiles(result.cycleCpuMs, [99]) as [number];
  return {
    figures: {
      jobs: records.length,
      unfinished: result.unfinished.length,
      avgJct: mean(jct),
      p50Jct: p50,
      p95Jct: p95,
      p99Jct: p99,
      avgQueueDelay: mean(delay),
      p95QueueDelay: percentiles(delay, [95])[0]!,
      longestWait: records.reduce((most, r) => Math.max(most, r.waitSeconds), 0),
      utilization: makespan > 0 ? result.busyGpuSeconds / (result.capacityGpus * makespan) : 0,
      makespan,
      jainFairness: jainIndex(tenants.map((t) => 1 / t.avgSlowdown)),
      avgSlowdown: mean(records.map(slowdown)),
      worstTenantSlowdown: tenants.reduce((most, t) => Math.max(most, t.avgSlowdown), 0),
      preemptions: result.preemptions,
      lostGpuHours: records.reduce((sum, r) => sum + r.lostGpuSeconds, 0) / 3600,
      cycles: result.cycles,
      cycleCpuMsAvg: mean(Array.from(result.cycleCpuMs)),
      cycleCpuMsP99: cpuP99,
    },
    tenants,
  };
}

/**
 * Each policy's figures divided by the baseline's (FIFO) from the same replay: 0.3 for the
 * average JCT means 30% of FIFO's. Null where the baseline's figure is 0.
 */

export type Ratios = { readonly [K in keyof Figures]: number | null };

export function ratiosTo(figures: Figures, baseline: Figures): Ratios {
  const result: Partial<Record<keyof Figures, number | null>> = {};
  for (const key of Object.keys(figures) as (keyof Figures)[])
    result[key] = ratio(figures[key], baseline[key]);
  return result as Ratios;
}
