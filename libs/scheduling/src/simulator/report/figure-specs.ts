/**
 * The rows of every report (text, JSON, HTML), in order, with how each figure is written and
 * whether less is better; and the baseline each policy is compared with.
 */
import type { Figures } from '../metrics/metrics';
import type { SimulationReport } from '../simulate';

export interface FigureSpec {
  readonly key: keyof Figures;
  readonly label: string;
  readonly format: (value: number) => string;
}

const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export const FIGURE_SPECS: readonly FigureSpec[] = [
  { key: 'jobs', label: 'jobs completed', format: whole },
  { key: 'unfinished', label: 'jobs never finished', format: whole },
  { key: 'avgJct', label: 'avg JCT (s)', format: whole },
  { key: 'p50Jct', label: 'p50 JCT (s)', format: whole },
  { key: 'p95Jct', label: 'p95 JCT (s)', format: whole },
  { key: 'p99Jct', label: 'p99 JCT (s)', format: whole },
  { key: 'avgQueueDelay', label: 'avg queueing delay (s)', format: whole },
  { key: 'p95QueueDelay', label: 'p95 queueing delay (s)', format: whole },
  { key: 'longestWait', label: 'longest wait (s)', format: whole },
  { key: 'utilization', label: 'GPU utilization', format: percent },
  { key: 'makespan', label: 'makespan (s)', format: whole },
  { key: 'avgSlowdown', label: 'avg slowdown', format: fixed(2) },
  { key: 'worstTenantSlowdown', label: 'worst tenant avg slowdown', format: fixed(2) },
  { key: 'jainFairness', label: "Jain's fairness (tenants)", format: fixed(3) },
  { key: 'preemptions', label: 'preemptions', format: whole },
  { key: 'lostGpuHours', label: 'GPU-hours lost to preemption', format: fixed(1) },
  { key: 'cycles', label: 'scheduling cycles', format: whole },
  { key: 'cycleCpuMsAvg', label: 'policy CPU ms/cycle (avg)', format: fixed(3) },
  { key: 'cycleCpuMsP99', label: 'policy CPU ms/cycle (p99)', format: fixed(3) },
];

export function formatRatio(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

/** The run every other is compared with: FIFO's when it ran, else none. */
export function baselineRun(report: SimulationReport, baseline = 'fifo') {
  return report.runs.find((run) => run.policy === baseline) ?? null;
}

export function describeInput(report: SimulationReport): string {
  const i = report.input;
  return (
    `trace ${i.trace}: ${i.jobs.toLocaleString('en-US')} jobs` +
    (i.dropped > 0 ? ` (${i.dropped} too big for the cluster, dropped)` : '') +
    `, ${i.tenants} tenants; cluster ${i.cluster} (${i.gpus.toLocaleString('en-US')} GPUs); ` +
    `load x${i.load}; seed ${i.seed}${i.limit === null ? '' : `; first ${i.limit} jobs`}; ` +
    `checkpoints every ${i.checkpointIntervalSeconds} s`
  );
}
