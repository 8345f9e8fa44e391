/**
 * A whole simulation: one trace, one cluster, one load and seed, replayed once per policy on
 * the same workload, each replay's figures beside the others'; with renters, each policy's
 * replay again with renter demand (market/), its market figures beside the replay without.
 * Pure: the caller reads the trace file and injects the clocks (CPU time for decide(), wall
 * time per replay).
 */
import { DEFAULT_POLICY_CONFIG, type PolicyConfig, type SchedulingPolicy } from '../model';
import { buildCluster } from './cluster/build-nodes';
import { describeCluster, type ClusterSpec } from './cluster/cluster-spec';
import { runEngine } from './engine/engine';
import type { EngineInput, TimelinePoint } from './engine/types';
import { heldGpusPerBucket } from './market/held-timeline';
import { replayWithRenters } from './market/market-replay';
import type { RenterFigures } from './market/market-figures';
import type { RenterDemandOptions } from './market/renter-demand';
import { computeFigures, type Figures, type TenantFigures } from './metrics/metrics';
import { prepareTrace, type TraceJob } from './trace/trace-job';
import { DEFAULT_TENANTS } from './workload/assignment';
import { buildWorkload } from './workload/workload';

/** Checkpoint interval when none is given: every 30 minutes of run time. */
export const DEFAULT_CHECKPOINT_INTERVAL_SECONDS = 1800;

export interface SimulationOptions {
  /** For the report: `philly`, `itp/cluster04`, a file name. */
  readonly traceName: string;
  /** The parsed trace, in any order. */
  readonly trace: readonly TraceJob[];
  readonly cluster: ClusterSpec;
  readonly load: number;
  readonly seed: number;
  readonly limit: number | null;
  readonly policies: readonly SchedulingPolicy[];
  /** Tenants for traces without their own (default 8). */
  readonly tenants?: number;
  readonly checkpointIntervalSeconds?: number;
  readonly config?: Partial<PolicyConfig>;
  readonly cpuTimeMs: () => number;
  readonly wallTimeMs?: () => number;
  /** `policy` is `<name>+renters` for the replay with renters. */
  readonly onProgress?: (policy: string, ended: number, total: number) => void;
  /** Replay each policy again with this renter demand (market figures); none by default. */
  readonly renters?: RenterDemandOptions;
}

/** A policy's replay with renters, beside its replay without. */
export interface MarketRun {
  readonly figures: RenterFigures;
  /** The trace's jobs' figures with renters. */
  readonly internal: Figures;
  readonly timeline: readonly TimelinePoint[];
  /** Mean GPUs held by leases in each bucket of `timeline` (the rest of busy is internal). */
  readonly rentedGpus: readonly number[];
  readonly wallSeconds: number | null;
}

export interface PolicyRun {
  readonly policy: string;
  readonly figures: Figures;
  readonly tenants: readonly TenantFigures[];
  readonly timeline: readonly TimelinePoint[];
  readonly timelineBucketSeconds: number;
  /** Wall time of the replay, seconds; null without a wall clock. Not deterministic. */
  readonly wallSeconds: number | null;
  /** With renters (SimulationOptions.renters); null without. */
  readonly market: MarketRun | null;
}

export interface SimulationInputSummary {
  readonly trace: string;
  readonly cluster: string;
  readonly gpus: number;
  readonly load: number;
  readonly seed: number;
  readonly limit: number | null;
  readonly jobs: number;
  readonly dropped: number;
  readonly tenants: number;
  readonly checkpointIntervalSeconds: number;
  /** The renter demand of the market replays; null without. */
  readonly renters: RenterDemandOptions | null;
}

export interface SimulationReport {
  readonly input: SimulationInputSummary;
  readonly runs: readonly PolicyRun[];
}

export function simulate(options: SimulationOptions): SimulationReport {
  if (options.policies.length === 0) throw new RangeError('policies: name at least one');
  const names = options.policies.map((p) => p.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new RangeError(`policies: ${repeated} is named twice`);
  const interval = options.checkpointIntervalSeconds ?? DEFAULT_CHECKPOINT_INTERVAL_SECONDS;
  if (!(interval >= 0 && Number.isFinite(interval)))
    throw new RangeError(`checkpoint interval: must be >= 0 seconds (got ${interval})`);
  const config = { ...DEFAULT_POLICY_CONFIG, ...options.config };
  const cluster = buildCluster(options.cluster, config.fabricLabel);
  const trace = prepareTrace(options.trace, { load: options.load, limit: options.limit });
  const workload = buildWorkload(trace, cluster, {
    seed: options.seed,
    tenants: options.tenants ?? DEFAULT_TENANTS,
  });
  const seconds = (started: number | undefined) =>
    started === undefined ? null : (options.wallTimeMs!() - started) / 1000;
  const progress = (name: string) =>
    options.onProgress &&
    ((ended: number, total: number) => options.onProgress!(name, ended, total));
  const runs = options.policies.map((policy): PolicyRun => {
    const started = options.wallTimeMs?.();
    const input: EngineInput = {
      jobs: workload.jobs,
      nodes: cluster.nodes,
      queues: workload.queues,
      classes: workload.classes,
      policy,
      config,
      checkpointIntervalSeconds: interval,
      cpuTimeMs: options.cpuTimeMs,
      onProgress: progress(policy.name),
    };
    const result = runEngine(input);
    const { figures, tenants } = computeFigures(result);
    const wallSeconds = seconds(started);
    let market: MarketRun | null = null;
    if (options.renters) {
      const again = options.wallTimeMs?.();
      const replay = replayWithRenters(
        { ...input, onProgress: progress(`${policy.name}+renters`) },
        result,
        options.renters,
      );
      const leases = replay.result.records.filter((r) => replay.market.leases.has(r.id));
      market = {
        figures: replay.figures,
        internal: replay.internal,
        timeline: replay.result.timeline,
        rentedGpus: heldGpusPerBucket(
          leases,
          replay.result.timeline,
          replay.result.timelineBucketSeconds,
          replay.result.records.reduce((end, r) => Math.max(end, r.endAt), 0),
        ),
        wallSeconds: seconds(again),
      };
    }
    return {
      policy: policy.name,
      figures,
      tenants,
      timeline: result.timeline,
      timelineBucketSeconds: result.timelineBucketSeconds,
      wallSeconds,
      market,
    };
  });
  return {
    input: {
      trace: options.traceName,
      cluster: describeCluster(options.cluster),
      gpus: cluster.totalGpus,
      load: options.load,
      seed: options.seed,
      limit: options.limit,
      jobs: workload.jobs.length,
      dropped: workload.dropped.length,
      tenants: workload.tenants.length,
      checkpointIntervalSeconds: interval,
      renters: options.renters ?? null,
    },
    runs,
  };
}
