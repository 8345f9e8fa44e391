import { jobStateName } from '../format/states';
import { formatDuration } from '../spec/duration';
import { type Observation } from './demo-tracker';

export interface DemoSummary {
  readonly jobs: number;
  /** `succeeded: 13`, `failed: 1`, ... in the order states happen. */
  readonly byState: readonly (readonly [string, number])[];
  readonly attempts: number;
  /** From the first submit to the last job's end, in seconds. */
  readonly wallSeconds: number;
  /** Σ GPUs × run time over every job, in seconds. */
  readonly gpuSeconds: number;
}

const ORDER = ['pending', 'scheduled', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'];

export function summarize(
  observations: readonly Observation[],
  startedAt: number,
  now: number,
): DemoSummary {
  const counts = new Map<string, number>();
  let attempts = 0;
  let gpuSeconds = 0;
  let lastEnd = startedAt;
  for (const { job, demo } of observations) {
    const state = jobStateName(job.state);
    counts.set(state, (counts.get(state) ?? 0) + 1);
    attempts += new Set(job.attempts.map((a) => a.number)).size;
    const start = job.startTime?.getTime();
    const end = job.endTime?.getTime() ?? (start === undefined ? undefined : now);
    if (start !== undefined && end !== undefined)
      gpuSeconds += (demo.gpus * Math.max(0, end - start)) / 1000;
    if (job.endTime) lastEnd = Math.max(lastEnd, job.endTime.getTime());
  }
  const byState = [...counts].sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]));
  return {
    jobs: observations.length,
    byState,
    attempts,
    wallSeconds: (Math.max(lastEnd, startedAt) - startedAt) / 1000,
    gpuSeconds,
  };
}

export function renderSummary(summary: DemoSummary): string {
  const states = summary.byState.map(([state, n]) => `${n} ${state}`).join(', ');
  return [
    `jobs:         ${summary.jobs} (${states})`,
    `attempts:     ${summary.attempts}`,
    `wall time:    ${formatDuration(summary.wallSeconds)} (${summary.wallSeconds.toFixed(1)} s)`,
    `GPU-seconds:  ${summary.gpuSeconds.toFixed(1)} (simulated GPUs)`,
  ].join('\n');
}
