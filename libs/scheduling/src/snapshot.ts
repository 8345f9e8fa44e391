/**
 * The immutable view one scheduling cycle decides on: nodes with their free GPUs, and the
 * pending jobs at the heads of the queue. Built from records by pure code, so the live
 * scheduler, the tests and the simulator all decide on the same shape.
 */
export interface SnapshotGpu {
  readonly index: number;
  /** Catalog id, '' when unknown. */
  readonly model: string;
}

export interface SnapshotNode {
  readonly id: string;
  readonly name: string;
  readonly gpus: readonly SnapshotGpu[];
  /** Indices of GPUs no active attempt holds, ascending. */
  readonly freeGpuIndices: readonly number[];
  /** False for nodes that are lost (or, later, cordoned). */
  readonly schedulable: boolean;
}

export interface SnapshotJob {
  readonly id: string;
  readonly priority: number;
  readonly submittedAt: number;
  readonly gpus: number;
  /** Catalog id, or null for any model. */
  readonly gpuModel: string | null;
}

export interface Snapshot {
  readonly now: number;
  readonly nodes: readonly SnapshotNode[];
  readonly pending: readonly SnapshotJob[];
}

export interface NodeInput {
  readonly id: string;
  readonly name: string;
  readonly schedulable: boolean;
  readonly gpus: readonly SnapshotGpu[];
}

export interface AllocationInput {
  readonly nodeId: string;
  readonly gpuIndices: readonly number[];
}

/** Free GPUs are the node's GPUs minus those held by active attempts. */
export function buildSnapshot(
  now: number,
  nodes: readonly NodeInput[],
  allocations: readonly AllocationInput[],
  pending: readonly SnapshotJob[],
): Snapshot {
  const held = new Map<string, Set<number>>();
  for (const allocation of allocations) {
    const set = held.get(allocation.nodeId) ?? new Set<number>();
    for (const index of allocation.gpuIndices) set.add(index);
    held.set(allocation.nodeId, set);
  }
  return {
    now,
    pending,
    nodes: nodes.map((node) => {
      const busy = held.get(node.id);
      return {
        ...node,
        freeGpuIndices: node.gpus
          .map((g) => g.index)
          .filter((index) => !busy?.has(index))
          .sort((a, b) => a - b),
      };
    }),
  };
}
