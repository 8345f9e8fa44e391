/**
 * Free GPUs of a snapshot, for first-fit placement: per schedulable node (in snapshot order)
 * and GPU model, the free indices ascending. A GPU is free unless a running job (stopping ones
 * included: they hold their GPUs until they exit) holds it. Taking GPUs only ever lowers the
 * free counts, which lets `firstNode` resume its scan where the last search for the same size
 * and model stopped: a whole cycle of first-fit searches costs O(nodes) per (size, model).
 */
import type { ClusterSnapshot, SnapshotGpu, SnapshotNode } from '../model';

/** The GPUs by index; the usual already-ordered list is not copied. */
function ascending(gpus: readonly SnapshotGpu[]): readonly SnapshotGpu[] {
  for (let i = 1; i < gpus.length; i++)
    if (gpus[i - 1]!.index > gpus[i]!.index) return [...gpus].sort((a, b) => a.index - b.index);
  return gpus;
}

export class FreeGpus {
  /** Schedulable nodes, in snapshot order. */
  readonly nodes: readonly SnapshotNode[];
  /** GPU models present, in order of first appearance. */
  readonly models: readonly string[];
  private readonly free: Map<string, number[]>[];
  private readonly capacity: Map<string, number>[];
  private readonly cursors = new Map<string, number>();

  constructor(snapshot: ClusterSnapshot) {
    const held = new Map<string, Set<number>>();
    for (const job of snapshot.running)
      for (const allocation of job.allocations) {
        let set = held.get(allocation.nodeId);
        if (!set) held.set(allocation.nodeId, (set = new Set()));
        for (const index of allocation.gpuIndices) set.add(index);
      }
    const models = new Set<string>();
    this.nodes = snapshot.nodes.filter((node) => node.schedulable);
    this.free = [];
    this.capacity = [];
    for (const node of this.nodes) {
      const busy = held.get(node.id);
      const free = new Map<string, number[]>();
      const capacity = new Map<string, number>();
      for (const gpu of ascending(node.gpus)) {
        models.add(gpu.model);
        capacity.set(gpu.model, (capacity.get(gpu.model) ?? 0) + 1);
        if (busy?.has(gpu.index)) continue;
        const list = free.get(gpu.model);
        if (list) list.push(gpu.index);
        else free.set(gpu.model, [gpu.index]);
      }
      this.free.push(free);
      this.capacity.push(capacity);
    }
    this.models = [...models];
  }

  /** Free GPUs of `model` on the node at `position` (ascending indices). */
  freeCount(position: number, model: string): number {
    return this.free[position]!.get(model)?.length ?? 0;
  }

  /** GPUs of `model` the node has in all, free or not. */
  capacityOf(position: number, model: string): number {
    return this.capacity[position]!.get(model) ?? 0;
  }

  /** The models a job asking for `model` (null: any one model) may use. */
  candidates(model: string | null): readonly string[] {
    return model === null ? this.models : [model];
  }

  /** The first node with at least `count` free GPUs of `model`, or -1. */
  firstNode(count: number, model: string): number {
    const key = `${model}\u0000${count}`;
    for (let position = this.cursors.get(key) ?? 0; position < this.nodes.length; position++) {
      if (this.freeCount(position, model) >= count) {
        this.cursors.set(key, position);
        return position;
      }
    }
    this.cursors.set(key, this.nodes.length);
    return -1;
  }

  /** Takes the `count` lowest free GPUs of `model` on a node; returns their indices. */
  take(position: number, model: string, count: number): number[] {
    const list = this.free[position]!.get(model) ?? [];
    if (list.length < count) throw new Error(`node ${this.nodes[position]!.id}: not enough free`);
    return list.splice(0, count);
  }

  /** The most free GPUs of one model on any node (for waiting messages). */
  mostFreeOnANode(): number {
    let most = 0;
    for (const free of this.free)
      for (const list of free.values()) most = Math.max(most, list.length);
    return most;
  }
}
