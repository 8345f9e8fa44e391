/**
 * Who holds each GPU of the simulated cluster: the engine's ground truth, independent of what
 * any policy believes. `hold` refuses a GPU that is already held, which is how the engine
 * catches a policy that gives a GPU twice.
 */
import type { NodeAllocation, SnapshotNode } from '../../model';

export class GpuLedger {
  /** Node id to position in `nodes`. */
  readonly positions: ReadonlyMap<string, number>;
  /** Per node: GPU index to slot in `holders`. */
  private readonly slots: ReadonlyMap<number, number>[];
  /** Per node and slot: the holding job's index, or -1. */
  private readonly holders: Int32Array[];
  busyGpus = 0;
  /** GPUs in all. */
  readonly capacity: number;

  constructor(readonly nodes: readonly SnapshotNode[]) {
    this.capacity = nodes.reduce((sum, node) => sum + node.gpus.length, 0);
    this.positions = new Map(nodes.map((node, position) => [node.id, position]));
    if (this.positions.size !== nodes.length) throw new Error('cluster: node ids repeat');
    this.slots = nodes.map((node) => new Map(node.gpus.map((gpu, slot) => [gpu.index, slot])));
    this.holders = nodes.map((node) => new Int32Array(node.gpus.length).fill(-1));
  }

  /** The GPU's slot on the node, or -1 when the node has no such index. */
  slotOf(position: number, gpuIndex: number): number {
    return this.slots[position]!.get(gpuIndex) ?? -1;
  }

  holderOf(position: number, slot: number): number {
    return this.holders[position]![slot]!;
  }

  modelOf(position: number, slot: number): string {
    return this.nodes[position]!.gpus[slot]!.model;
  }

  /** Gives every GPU of the allocations to `job`; the caller has checked they are free. */
  hold(job: number, allocations: readonly NodeAllocation[]): void {
    for (const allocation of allocations) {
      const position = this.positions.get(allocation.nodeId)!;
      for (const index of allocation.gpuIndices) {
        const slot = this.slotOf(position, index);
        if (this.holders[position]![slot] !== -1)
          throw new Error(`GPU ${allocation.nodeId}/${index} is already held`);
        this.holders[position]![slot] = job;
        this.busyGpus += 1;
      }
    }
  }

  release(job: number, allocations: readonly NodeAllocation[]): void {
    for (const allocation of allocations) {
      const position = this.positions.get(allocation.nodeId)!;
      for (const index of allocation.gpuIndices) {
        const slot = this.slotOf(position, index);
        if (this.holders[position]![slot] !== job)
          throw new Error(`GPU ${allocation.nodeId}/${index} is not held by this job`);
        this.holders[position]![slot] = -1;
        this.busyGpus -= 1;
      }
    }
  }
}
