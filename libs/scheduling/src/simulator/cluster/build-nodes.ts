/**
 * The snapshot nodes of a cluster spec: `node-0001`, `node-0002`, ... in group order, GPUs
 * indexed from 0, every node schedulable, labelled with its fabric domain (`fabric-01`, ...)
 * under the policy's fabric label.
 */
import type { SnapshotNode } from '../../model';
import type { ClusterSpec } from './cluster-spec';

export interface SimCluster {
  readonly spec: ClusterSpec;
  readonly nodes: readonly SnapshotNode[];
  readonly totalGpus: number;
  /** GPUs per model (catalog id). */
  readonly gpusByModel: Readonly<Record<string, number>>;
  /** The most GPUs one node has. */
  readonly maxGpusPerNode: number;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function buildCluster(spec: ClusterSpec, fabricLabel: string): SimCluster {
  const totalNodes = spec.groups.reduce((sum, g) => sum + g.nodes, 0);
  const width = Math.max(4, String(totalNodes).length);
  const nodes: SnapshotNode[] = [];
  const gpusByModel: Record<string, number> = {};
  let domain = 0;
  for (const group of spec.groups) {
    const gpus = Array.from({ length: group.gpusPerNode }, (_, index) => ({
      index,
      model: group.model,
    }));
    for (let i = 0; i < group.nodes; i++) {
      if (i % spec.fabricDomainNodes === 0) domain += 1;
      const id = `node-${pad(nodes.length + 1, width)}`;
      nodes.push({
        id,
        name: id,
        gpus,
        labels: { [fabricLabel]: `fabric-${pad(domain, 2)}` },
        schedulable: true,
      });
    }
    gpusByModel[group.model] = (gpusByModel[group.model] ?? 0) + group.nodes * group.gpusPerNode;
  }
  return {
    spec,
    nodes,
    totalGpus: Object.values(gpusByModel).reduce((a, b) => a + b, 0),
    gpusByModel,
    maxGpusPerNode: Math.max(...spec.groups.map((g) => g.gpusPerNode)),
  };
}
