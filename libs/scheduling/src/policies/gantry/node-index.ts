/**
 * Free GPUs per node and model, indexed for best fit: `bucket[model][n]` holds the nodes with
 * exactly n free GPUs of that model, so the tightest node that fits a job is found by walking
 * up from the job's size (a handful of steps), whatever the cluster's size. Expected releases
 * (running jobs' expected ends) are kept per node for reservations.
 */
import type { ClusterSnapshot } from '../../model';
import { Holdings } from './holdings';
import { NodeState } from './node-state';

export { NodeState, type Release } from './node-state';

export class NodeIndex {
  /** Every node, by position in the snapshot. */
  readonly all: readonly NodeState[];
  readonly domains = new Map<string, NodeState[]>();
  /** The GPU models of the schedulable nodes, in the order the nodes first name them. */
  readonly models: readonly string[];
  /** False when the snapshot lists a node id twice (the twins then share reservation holds). */
  readonly uniqueIds: boolean;
  readonly holdings: Holdings;
  private readonly positions: ReadonlyMap<string, number>;
  private readonly buckets = new Map<string, Set<NodeState>[]>();

  constructor(snapshot: ClusterSnapshot) {
    const { nodes } = snapshot;
    const positions = new Map<string, number>();
    for (let n = 0; n < nodes.length; n++) positions.set(nodes[n]!.id, n); // a twin: its last node
    this.positions = positions;
    this.uniqueIds = this.positions.size === nodes.length;
    const classes = new Map(snapshot.classes.map((c) => [c.name, c]));
    const rules = { classes, now: snapshot.now, maxPerJob: snapshot.config.maxPreemptionsPerJob };
    this.holdings = new Holdings(snapshot.running, this.positions, nodes.length, rules);
    const label = snapshot.config.fabricLabel;
    this.all = nodes.map((node, n) => {
      const group = this.uniqueIds ? n : this.positions.get(node.id)!;
      const state = new NodeState(node, node.labels[label] ?? '', n, this.holdings, group);
      if (!node.schedulable) return state;
      const members = this.domains.get(state.domain);
      if (members) members.push(state);
      else this.domains.set(state.domain, [state]);
      for (const model of state.models) this.bucket(model, state.freeCount(model)).add(state);
      return state;
    });
    const { models, sizes, nodeOf } = this.holdings;
    for (const k of this.holdings.stopping)
      this.all[nodeOf[k]!]!.addStopping(models[k]!, sizes[k]!);
    this.models = [...this.buckets.keys()];
  }

  /** The node with this id (an id listed twice: its last node); undefined if none. */
  stateOf(nodeId: string): NodeState | undefined {
    const n = this.positions.get(nodeId);
    return n === undefined ? undefined : this.all[n];
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
   * The schedulable nodes by free GPUs of a model: `[n]` holds those with exactly n free, in the
   * order they entered it (deterministic for the same snapshot and decisions). Walking up from
   * a job's size gives the tightest fit first.
   */
  byFree(model: string): readonly ReadonlySet<NodeState>[] {
    return this.buckets.get(model) ?? [];
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
