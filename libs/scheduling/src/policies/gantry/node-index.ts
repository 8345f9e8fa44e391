/**
 * Free GPUs per node and model, indexed for best fit: `bucket[model][n]` holds the nodes with
 * exactly n free GPUs of that model, so the tightest node that fits a job is found by walking
 * up from the job's size (a handful of steps), whatever the cluster's size. Expected releases
 * (running jobs' expected ends) are kept per node for reservations.
 */
import type { ClusterSnapshot, SnapshotNode } from '../../model';

export interface Release {
  readonly at: number;
  readonly gpus: number;
  readonly model: string;
}

export class NodeState {
  /** Free GPU indices per model, ascending. */
  readonly free = new Map<string, number[]>();
  readonly total = new Map<string, number>();
  /** GPUs of jobs told to stop, per model: they free up soon. */
  readonly stopping = new Map<string, number>();
  readonly releases: Release[] = [];
  private readonly sorted = new Map<string, Release[]>();

  /** The expected releases of a model's GPUs, earliest first (cached until the next take). */
  releasesOf(model: string): readonly Release[] {
    let list = this.sorted.get(model);
    if (!list) {
      list = this.releases.filter((r) => r.model === model).sort((a, b) => a.at - b.at);
      this.sorted.set(model, list);
    }
    return list;
  }

  addRelease(release: Release): void {
    this.releases.push(release);
    this.sorted.delete(release.model);
  }

  constructor(
    readonly node: SnapshotNode,
    readonly domain: string,
    readonly position: number,
  ) {}

  freeCount(model: string): number {
    return this.free.get(model)?.length ?? 0;
  }
}

export class NodeIndex {
  readonly states = new Map<string, NodeState>();
  readonly domains = new Map<string, NodeState[]>();
  private readonly buckets = new Map<string, Set<NodeState>[]>();
  private maxGpus = 0;

  constructor(snapshot: ClusterSnapshot) {
    const held = new Map<string, Set<number>>();
    for (const job of snapshot.running) {
      for (const allocation of job.allocations) {
        const set = held.get(allocation.nodeId) ?? new Set<number>();
        allocation.gpuIndices.forEach((i) => set.add(i));
        held.set(allocation.nodeId, set);
      }
    }
    snapshot.nodes.forEach((node, position) => {
      const domain = node.labels[snapshot.config.fabricLabel] ?? '';
      const state = new NodeState(node, domain, position);
      this.maxGpus = Math.max(this.maxGpus, node.gpus.length);
      for (const gpu of node.gpus) {
        state.total.set(gpu.model, (state.total.get(gpu.model) ?? 0) + 1);
        if (!held.get(node.id)?.has(gpu.index)) {
          const list = state.free.get(gpu.model) ?? [];
          list.push(gpu.index);
          state.free.set(gpu.model, list);
        }
      }
      for (const list of state.free.values()) list.sort((a, b) => a - b);
      this.states.set(node.id, state);
      if (!node.schedulable) return;
      const members = this.domains.get(domain) ?? [];
      members.push(state);
      this.domains.set(domain, members);
      for (const model of state.total.keys()) this.bucket(model, state.freeCount(model)).add(state);
    });
    for (const job of snapshot.running) {
      for (const allocation of job.allocations) {
        const state = this.states.get(allocation.nodeId);
        if (!state) continue;
        const gpus = allocation.gpuIndices.length;
        if (job.stopping)
          state.stopping.set(job.gpuModel, (state.stopping.get(job.gpuModel) ?? 0) + gpus);
        state.releases.push({
          at: job.expectedEndAt ?? Number.POSITIVE_INFINITY,
          gpus,
          model: job.gpuModel,
        });
      }
    }
  }

  get models(): string[] {
    return [...this.buckets.keys()];
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
   * Schedulable nodes with at least `gpus` free of `model`, tightest first. Within a bucket the
   * order is the order nodes entered it: deterministic for the same snapshot and decisions.
   * The caller must stop iterating once it takes GPUs (taking moves a node between buckets).
   */
  *bestFit(model: string, gpus: number): Generator<NodeState> {
    const list = this.buckets.get(model);
    if (!list) return;
    for (let count = Math.max(gpus, 0); count < list.length; count++) yield* list[count]!;
  }

  /** The most free GPUs of a model on any schedulable node. */
  mostFree(model: string): number {
    const list = this.buckets.get(model) ?? [];
    for (let count = list.length - 1; count > 0; count--) if (list[count]!.size > 0) return count;
    return 0;
  }

  /** The most GPUs of a model any schedulable node has in all. */
  largest(model: string): number {
    let most = 0;
    for (const members of this.domains.values()) {
      for (const state of members) most = Math.max(most, state.total.get(model) ?? 0);
    }
    return most;
  }

  /** Takes the lowest `gpus` free indices of `model` on a node; records its expected release. */
  take(state: NodeState, model: string, gpus: number, releaseAt: number): number[] {
    const free = state.free.get(model) ?? [];
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
