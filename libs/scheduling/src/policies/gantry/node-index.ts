/**
 * Free GPUs per node and model, indexed for best fit: `bucket[model][n]` holds the nodes with
 * exactly n free GPUs of that model, so the tightest node that fits a job is found by walking
 * up from the job's size (a handful of steps), whatever the cluster's size. Expected releases
 * (running jobs' expected ends) are kept per node for reservations.
 */
import type { ClusterSnapshot, NodeAllocation, RunningJob } from '../../model';
import { NodeState } from './node-state';

export { NodeState, type Release } from './node-state';

export class NodeIndex {
  readonly states = new Map<string, NodeState>();
  readonly domains = new Map<string, NodeState[]>();
  /** The GPU models of the schedulable nodes, in the order the nodes first name them. */
  readonly models: readonly string[];
  /** False when the snapshot lists a node id twice (the twins then share reservation holds). */
  readonly uniqueIds: boolean;
  private readonly buckets = new Map<string, Set<NodeState>[]>();
  /** Per node id, one entry per allocation on it: the job, and beside it the allocation. */
  private readonly jobsByNode = new Map<string, RunningJob[]>();
  private readonly allocationsByNode = new Map<string, NodeAllocation[]>();

  constructor(snapshot: ClusterSnapshot) {
    for (const job of snapshot.running) {
      for (const allocation of job.allocations) {
        const jobs = this.jobsByNode.get(allocation.nodeId);
        if (jobs) {
          jobs.push(job);
          this.allocationsByNode.get(allocation.nodeId)!.push(allocation);
        } else {
          this.jobsByNode.set(allocation.nodeId, [job]);
          this.allocationsByNode.set(allocation.nodeId, [allocation]);
        }
      }
    }
    snapshot.nodes.forEach((node, position) => {
      const state = new NodeState(node, node.labels[snapshot.config.fabricLabel] ?? '', position);
      const held = this.allocationsByNode.get(node.id);
      for (const gpu of node.gpus) {
        let slot = state.models.indexOf(gpu.model);
        if (slot < 0) {
          slot = state.models.push(gpu.model) - 1;
          state.totals.push(0);
          state.frees.push([]);
        }
        state.totals[slot]!++;
        if (!held?.some((a) => a.gpuIndices.includes(gpu.index)))
          state.frees[slot]!.push(gpu.index);
      }
      for (const free of state.frees) if (!ascending(free)) free.sort((a, b) => a - b);
      this.states.set(node.id, state);
      if (!node.schedulable) return;
      const members = this.domains.get(state.domain);
      if (members) members.push(state);
      else this.domains.set(state.domain, [state]);
      for (const model of state.models) this.bucket(model, state.freeCount(model)).add(state);
    });
    this.models = [...this.buckets.keys()];
    this.uniqueIds = this.states.size === snapshot.nodes.length;
    // Releases per node in the running jobs' order (a node id listed twice: its last entry).
    for (const [id, state] of this.states) {
      const jobs = this.jobsByNode.get(id) ?? [];
      const allocations = this.allocationsByNode.get(id)!;
      jobs.forEach((job, i) => {
        const gpus = allocations[i]!.gpuIndices.length;
        if (job.stopping) state.addStopping(job.gpuModel, gpus);
        state.releases.push({
          at: job.expectedEndAt ?? Number.POSITIVE_INFINITY,
          gpus,
          model: job.gpuModel,
        });
      });
    }
  }

  /** The running jobs on a node, once per allocation there, in the snapshot's order. */
  jobsOn(nodeId: string): readonly RunningJob[] {
    return this.jobsByNode.get(nodeId) ?? [];
  }

  private bucket(model: string, count: number): Set<NodeState> {
    let list = this.buckets.get(model);
    if (!list) {
      list = [];
      this.buckets.set(model, list);
    }
    while (list.length <= count) list.push(new Set());
    return list[count]!;
  }

  /**
   * The tightest schedulable node with at least `gpus` free of `model` that `accept` takes.
   * Within a bucket the order is the order nodes entered it: deterministic for the same
   * snapshot and decisions.
   */
  bestFit(
    model: string,
    gpus: number,
    accept: (state: NodeState) => boolean,
  ): NodeState | undefined {
    const list = this.buckets.get(model);
    if (!list) return undefined;
    for (let count = Math.max(gpus, 0); count < list.length; count++)
      for (const state of list[count]!) if (accept(state)) return state;
    return undefined;
  }

  /** The most free GPUs of a model on any schedulable node. */
  mostFree(model: string): number {
    const list = this.buckets.get(model) ?? [];
    for (let count = list.length - 1; count > 0; count--) if (list[count]!.size > 0) return count;
    return 0;
  }

  /** Takes the lowest `gpus` free indices of `model` on a node; records its expected release. */
  take(state: NodeState, model: string, gpus: number, releaseAt: number): number[] {
    const free = state.freeOf(model) ?? [];
    const before = free.length;
    const taken = free.splice(0, gpus);
    if (state.node.schedulable) {
      this.bucket(model, before).delete(state);
      this.bucket(model, free.length).add(state);
    }
    state.addRelease({ at: releaseAt, gpus, model });
    return taken;
  }
}

function ascending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}
