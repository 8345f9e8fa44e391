/**
 * How trace jobs become jobs of the simulated cluster, by documented seeded rules (traces
 * carry neither users, priorities nor node counts):
 *  - shape: up to a node's GPUs, one node with that many GPUs; more is whole nodes,
 *    ceil(gpus / node size) of them with every GPU of each (a 12-GPU Philly job takes
 *    2 nodes x 8 = 16 GPUs, as Philly itself placed multi-node jobs on whole servers). The
 *    node size is the largest node of the cluster. A job that could not run even on an empty
 *    cluster (more nodes than a fabric domain holds) is dropped before the replay and counted;
 *  - tenant: the trace's own tenant when it has one (Philly: the `cluster` column, its virtual
 *    cluster, as `vc-<hash>`); else (ITP) `tenant-NN`, NN = floor(u * tenants) + 1 with
 *    u = seededUniform(seed, 'tenant:' + job id): a uniform, seeded split of the jobs;
 *  - priority class: u = seededUniform(seed, 'class:' + job id) against the cumulative class
 *    mix, by default 70% `batch`, 20% `rl-rollout`, 10% `background` (no `serving`: traces
 *    hold training jobs).
 * The same seed and job id always give the same tenant and class, whatever else is replayed.
 */
import type { ClusterSpec } from '../cluster/cluster-spec';
import type { JobShape } from '../../model';
import { seededUniform } from '../prng';

export function shapeFor(gpus: number, nodeSize: number): JobShape {
  if (gpus <= nodeSize) return { nodes: 1, gpusPerNode: gpus, gpuModel: null };
  return { nodes: Math.ceil(gpus / nodeSize), gpusPerNode: nodeSize, gpuModel: null };
}

/** Whether some group of the cluster could ever hold the shape. */
export function fitsCluster(shape: JobShape, spec: ClusterSpec): boolean {
  return spec.groups.some(
    (group) =>
      (shape.gpuModel === null || shape.gpuModel === group.model) &&
      group.gpusPerNode >= shape.gpusPerNode &&
      Math.min(group.nodes, spec.fabricDomainNodes) >= shape.nodes,
  );
}

export interface ClassShare {
  readonly name: string;
  readonly share: number;
}

export const DEFAULT_CLASS_MIX: readonly ClassShare[] = [
  { name: 'batch', share: 0.7 },
  { name: 'rl-rollout', share: 0.2 },
  { name: 'background', share: 0.1 },
];

export const DEFAULT_TENANTS = 8;

export function tenantFor(
  job: { readonly id: string; readonly tenant: string | null },
  seed: number,
  tenants: number,
): string {
  if (job.tenant !== null) return `vc-${job.tenant}`;
  const index = Math.floor(seededUniform(seed, `tenant:${job.id}`) * tenants) + 1;
  return `tenant-${String(index).padStart(2, '0')}`;
}

export function classFor(jobId: string, seed: number, mix: readonly ClassShare[]): string {
  const total = mix.reduce((sum, c) => sum + c.share, 0);
  let point = seededUniform(seed, `class:${jobId}`) * total;
  for (const share of mix) {
    if (point < share.share) return share.name;
    point -= share.share;
  }
  return mix[mix.length - 1]!.name;
}
