/** Small workloads and scripted policies for the simulator's tests. */
import {
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PRIORITY_CLASSES,
  type ClusterSnapshot,
  type Decision,
  type PolicyConfig,
  type SchedulingPolicy,
} from '../../model';
import { gpuCountKind } from '../../estimates';
import { buildCluster } from '../cluster/build-nodes';
import { parseClusterSpec } from '../cluster/cluster-spec';
import { runEngine } from '../engine/engine';
import type { EngineResult } from '../engine/types';
import { buildQueues } from '../workload/queues';
import { shapeFor } from '../workload/assignment';
import type { SimJob } from '../workload/workload';

export function simJob(
  id: string,
  submitAt: number,
  duration: number,
  gpus: number,
  options: { tenant?: string; cls?: string; nodeSize?: number } = {},
): SimJob {
  const tenant = options.tenant ?? 'x';
  return {
    id,
    submitAt,
    duration,
    gpus,
    shape: shapeFor(gpus, options.nodeSize ?? 8),
    tenant,
    queue: tenant,
    priorityClass: options.cls ?? 'batch',
    kind: gpuCountKind(gpus),
  };
}

export interface SmallRun {
  readonly jobs: readonly SimJob[];
  readonly cluster: string;
  readonly policy: SchedulingPolicy;
  readonly checkpointIntervalSeconds?: number;
  readonly config?: Partial<PolicyConfig>;
}

/** Replays jobs (in submit order) on a cluster spec; one leaf queue per tenant. */
export function runSmall(run: SmallRun): EngineResult {
  const config = { ...DEFAULT_POLICY_CONFIG, ...run.config };
  const cluster = buildCluster(parseClusterSpec(run.cluster), config.fabricLabel);
  const share = new Map(run.jobs.map((j) => [j.tenant, 1]));
  let cpu = 0;
  return runEngine({
    jobs: run.jobs,
    nodes: cluster.nodes,
    queues: buildQueues(share, cluster.gpusByModel),
    classes: DEFAULT_PRIORITY_CLASSES,
    policy: run.policy,
    config,
    checkpointIntervalSeconds: run.checkpointIntervalSeconds ?? 0,
    cpuTimeMs: () => (cpu += 1),
  });
}

const NOTHING: Decision = {
  placements: [],
  preemptions: [],
  nominations: [],
  waiting: [],
  reservations: [],
};

/** A policy from a function returning only the parts of a decision it cares about. */
export function scripted(
  decide: (snapshot: ClusterSnapshot) => Partial<Decision>,
  name = 'scripted',
): SchedulingPolicy {
  return { name, decide: (snapshot) => ({ ...NOTHING, ...decide(snapshot) }) };
}

/** A placement of a one-node job on GPUs of one node. */
export function on(jobId: string, nodeId: string, gpuIndices: number[]) {
  return { jobId, allocations: [{ nodeId, nodeName: nodeId, gpuIndices }], borrowing: false };
}
