/**
 * The traces `bench:traces` replays, whole, and the cluster each gets. The size rule: the
 * trace's mean GPU demand (GPU-seconds asked for / the span of submit times) is 60% of the
 * cluster, in nodes of 8 V100s, at least as many nodes as the largest job needs, at load 1 (the
 * trace's own arrival times). Why 60%: FIFO's head-of-line blocking (a big job at the head holds
 * back every small one behind it) then makes its queue grow for days on Philly (average wait
 * ~64 h), while the cluster still has room for a scheduler that backfills to keep queues short.
 * With a roomier cluster FIFO still queues (at 50%, ~2 h on average) but the jobs' own run times
 * dominate JCT: no policy could get Philly's average JCT below 0.64 of FIFO's there, so the
 * issue's "one third of FIFO's" could not even be assessed. Philly gets 78 nodes (624 GPUs).
 * `--offered 0.5` picks another share.
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

/** The share of the cluster the trace's mean demand takes, by default. */
export const OFFERED_LOAD = 0.6;

export function clusterFor(
  jobs: readonly TraceJob[],
  offered = OFFERED_LOAD,
): { cluster: string; meanDemandGpus: number } {
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
    Math.ceil(meanDemandGpus / offered / NODE_GPUS),
    Math.ceil(largest / NODE_GPUS),
  );
  return { cluster: `${nodes}x${NODE_GPUS}xV100`, meanDemandGpus };
}

export function loadTraceCase(name: string, dir: string, offered = OFFERED_LOAD): TraceCase {
  const file =
    name === 'philly' ? path.join(dir, 'philly', 'jobs.csv') : path.join(dir, `${name}.csv`);
  const jobs = parseTrace(readFileSync(file, 'utf8'), name);
  return { name, jobs, ...clusterFor(jobs, offered) };
}
