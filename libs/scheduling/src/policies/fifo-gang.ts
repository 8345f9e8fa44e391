/**
 * First fit for multi-node jobs (gangs): the fabric domains in order of their first node; in
 * each, for the job's model (or each model, when it takes any), the first `nodes` nodes of the
 * domain that each have `gpusPerNode` free GPUs of that model. All of them or none.
 */
import type { JobShape, SnapshotNode } from '../model';
import type { FreeGpus } from './fifo-free-gpus';

export interface GangFit {
  readonly model: string;
  readonly positions: readonly number[];
}

/** Node positions (into FreeGpus.nodes) grouped by fabric domain, domains in first-seen order. */
export function fabricDomains(
  nodes: readonly SnapshotNode[],
  fabricLabel: string,
): readonly (readonly number[])[] {
  const domains = new Map<string, number[]>();
  nodes.forEach((node, position) => {
    // A node without the label is a domain of its own.
    const domain = node.labels[fabricLabel] ?? `\u0000${node.id}`;
    const members = domains.get(domain);
    if (members) members.push(position);
    else domains.set(domain, [position]);
  });
  return [...domains.values()];
}

export function findGang(
  free: FreeGpus,
  domains: readonly (readonly number[])[],
  shape: JobShape,
): GangFit | null {
  for (const members of domains) {
    if (members.length < shape.nodes) continue;
    for (const model of free.candidates(shape.gpuModel)) {
      const positions: number[] = [];
      for (const position of members) {
        if (free.freeCount(position, model) < shape.gpusPerNode) continue;
        positions.push(position);
        if (positions.length === shape.nodes) return { model, positions };
      }
    }
  }
  return null;
}

/** Whether the gang could ever fit, with every GPU of the cluster free. */
export function gangEverFits(
  free: FreeGpus,
  domains: readonly (readonly number[])[],
  shape: JobShape,
): boolean {
  return domains.some((members) =>
    free
      .candidates(shape.gpuModel)
      .some(
        (model) =>
          members.filter((p) => free.capacityOf(p, model) >= shape.gpusPerNode).length >=
          shape.nodes,
      ),
  );
}
