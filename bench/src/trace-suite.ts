/**
 * The traces `bench:traces` replays, whole, and the cluster each gets. The size rule: twice
 * the trace's mean GPU demand (GPU-seconds asked for / the span of submit times), in nodes of
 * 8 V100s, at least as many nodes as the largest job needs, load 1 (the trace's own arrival
 * times). At that size GPUs sit idle half the time on average, so a queue only builds up from
 * the trace's bursts and from FIFO's head-of-line blocking (a big job at the head holds back
 * every small one behind it): FIFO queues noticeably (minutes to hours of average wait) while
 * a scheduler that backfills has room to do better. Philly gets 94 nodes (752 GPUs) by the
 * rule; ITP clusters from 2 to 124 nodes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTrace, type TraceJob } from '@gantry/scheduling';

export const NODE_GPUS = 8;

export interface TraceCase {
  readonly name: string;
  readonly jobs: readonly TraceJob[];
  /** `NODESx8xV100`, by the size rule. */
  readonly cluster: string;
  /** Mean GPUs asked for over the submit span. */
  readonly meanDemandGpus: number;
}

export const TRACE_NAMES = [
  'philly',
  ...Array.from({ length: 10 }, (_, i) => `itp/cluster${String(i + 1).padStart(2, '0')}`),
];

export function clusterFor(jobs: readonly TraceJob[]): { cluster: string; meanDemandGpus: number } {
  let first = Infinity;
  let last = -Infinity;
  let gpuSeconds = 0;
  let largest = 1;
  for (const job of jobs) {
    first = Math.min(first, job.submitAt);
    last = Math.max(last, job.submitAt);
    gpuSeconds += job.gpus * job.duration;
    largest = Math.max(largest, job.gpus);
  }
  const meanDemandGpus = gpuSeconds / Math.max(1, last - first);
  const nodes = Math.max(
    Math.ceil((2 * meanDemandGpus) / NODE_GPUS),
    Math.ceil(largest / NODE_GPUS),
  );
  return { cluster: `${nodes}x${NODE_GPUS}xV100`, meanDemandGpus };
}

export function loadTraceCase(name: string, dir: string): TraceCase {
  const file =
    name === 'philly' ? path.join(dir, 'philly', 'jobs.csv') : path.join(dir, `${name}.csv`);
  const jobs = parseTrace(readFileSync(file, 'utf8'), name);
  return { name, jobs, ...clusterFor(jobs) };
}
