/**
 * Free GPUs per node and model, indexed for best fit: `bucket[model][n]` holds the nodes with
 * exactly n free GPUs of that model, so the tightest node that fits a job is found by walking
 * up from the job's size (a handful of steps), whatever the cluster's size. Expected releases
 * (running jobs' expected ends) are kept per node for reservations.
 */
import type { ClusterSnapshot, SnapshotNode } from '../../model';
import { Bucket } from './bucket';
import { Holdings } from './holdings';
import { RunningFacts } from './running-facts';
import { NodeState } from './node-state';
import { SharedLists } from './shared-lists';
import { opportunisticCeiling } from './victim-facts';

export { NodeState, type Release } from './node-state';

/**
 * Node positions by id (an id listed twice: its last node), per node list: callers pass the same
 * list again while the cluster does not change. Pure memoisation: kept with the ids it was made
 * from and used only while the list still holds those ids in that order (checked, 10,000 string
 * comparisons against 10,000 map entries), so a list changed in place is indexed afresh.
 */
const positionsByList = new WeakMap<readonly SnapshotNode[], Positions>();

interface Positions {
  readonly ids: readonly string[];
  readonly byId: ReadonlyMap<string, number>;
}

function positionsOf(nodes: readonly SnapshotNode[]): ReadonlyMap<string, number> {
  const known = positionsByList.get(nodes);
  if (known && sameIds(nodes, known.ids)) return known.byId;
  const ids = nodes.map((node) => node.id);
  const byId = new Map<string, number>();
  for (let n = 0; n < ids.length; n++) byId.set(ids[n]!, n);
  positionsByList.set(nodes, { ids, byId });
  return byId;
}

/**
 * The running jobs' facts of the last cycle on each node list (by its positions): the next
 * cycle's snapshot mostly lists the same jobs (running-facts.ts).
 */
const factsByPositions = new WeakMap<ReadonlyMap<string, number>, RunningFacts>();

/**
 * The node states of the last cycle on each node list, set again for the next (NodeState.reset)
 * when an index is built for a cycle: a cycle is one synchronous call, and no state outlives it
 * (decisions name nodes by id). An index built outside a cycle (a test's) makes its own.
 */
const statesByPositions = new WeakMap<ReadonlyMap<string, number>, NodeState[]>();

function sameIds(nodes: readonly SnapshotNode[], ids: readonly string[]): boolean {
  if (nodes.length !== ids.length) return false;
  for (let n = 0; n < ids.length; n++) if (nodes[n]!.id !== ids[n]) return false;
  return true;
}

export class NodeIndex {
  /** Every node, by position in the snapshot. */
  readonly all: readonly NodeState[];
  readonly domains = new Map<string, NodeState[]>();
  /** The same lists, in the same order, for indexed walks (a gang's search walks them all). */
  readonly domainList: NodeState[][] = [];
  /** The GPU models of the schedulable nodes, in the order the nodes first name them. */
  readonly models: readonly string[];
  /** False when the snapshot lists a node id twice (the twins then share reservation holds). */
  readonly uniqueIds: boolean;
  readonly holdings: Holdings;
  /** Classes below this priority are opportunistic (interruptible leases). */
  readonly opportunisticBelow: number;
  private readonly positions: ReadonlyMap<string, number>;
  private readonly buckets = new Map<string, Bucket[]>();

  /** `forCycle`: the index of a policy cycle (it may set the last cycle's node states again). */
  constructor(snapshot: ClusterSnapshot, forCycle = false) {
    const { nodes } = snapshot;
    this.positions = positionsOf(nodes);
    this.uniqueIds = this.positions.size === nodes.length;
    const classes = new Map(snapshot.classes.map((c) => [c.name, c]));
    this.opportunisticBelow = opportunisticCeiling(snapshot.config);
    const rules = {
      classes,
      now: snapshot.now,
      maxPerJob: snapshot.config.maxPreemptionsPerJob,
      opportunisticBelow: this.opportunisticBelow,
    };
    const factRules = {
      classList: snapshot.classes,
      classes,
      maxPerJob: snapshot.config.maxPreemptionsPerJob,
    };
    const facts = RunningFacts.build(
      snapshot.running,
      this.positions,
      factRules,
      factsByPositions.get(this.positions),
    );
    factsByPositions.set(this.positions, facts);
    this.holdings = new Holdings(facts, nodes.length, rules);
    const label = snapshot.config.fabricLabel;
    const lists = new SharedLists();
    const kept = forCycle ? statesByPositions.get(this.positions) : undefined;
    this.all = nodes.map((node, n) => {
      const group = this.uniqueIds ? n : this.positions.get(node.id)!;
      const domain = node.labels[label] ?? '';
      const state = (kept?.[n] ?? new NodeState()).reset(
        node,
        domain,
        n,
        this.holdings,
        group,
        lists,
      );
      if (!node.schedulable) return state;
      const members = this.domains.get(state.domain);
      if (members) members.push(state);
      else {
        const list = [state];
        this.domains.set(state.domain, list);
        this.domainList.push(list);
      }
      for (let m = 0; m < state.models.length; m++) {
        const model = state.models[m]!;
        this.bucket(model, state.freeCount(model)).add(state);
      }
      return state;
    });
    const { models, sizes, nodeOf } = this.holdings;
    for (const k of this.holdings.stopping)
      this.all[nodeOf[k]!]!.addStopping(models[k]!, sizes[k]!);
    this.models = [...this.buckets.keys()];
    if (forCycle) statesByPositions.set(this.positions, this.all as NodeState[]);
  }

  /** The node with this id (an id listed twice: its last node); undefined if none. */
  stateOf(nodeId: string): NodeState | undefined {
    const n = this.positions.get(nodeId);
    return n === undefined ? undefined : this.all[n];
  }

  private bucket(model: string, count: number): Bucket {
    let list = this.buckets.get(model);
    if (!list) {
      list = [];
      this.buckets.set(model, list);
    }
    while (list.length <= count) list.push(new Bucket(model));
    return list[count]!;
  }

  /**
   * The schedulable nodes by free GPUs of a model: `[n]` holds those with exactly n free, in the
   * order they entered it (deterministic for the same snapshot and decisions). Walking up from
   * a job's size gives the tightest fit first.
   */
  byFree(model: string): readonly Bucket[] {
    return this.buckets.get(model) ?? [];
  }

  /** The most free GPUs of a model on any schedulable node. */
  mostFree(model: string): number {
    const list = this.buckets.get(model) ?? [];
    for (let count = list.length - 1; count > 0; count--) if (list[count]!.size > 0) return count;
    return 0;
  }

  /**
   * Takes `gpus` free GPUs of `model` on a node, the lowest indices unless `exactly` names them
   * (free ones: a warm engine's); records its expected release.
   */
  take(
    state: NodeState,
    model: string,
    gpus: number,
    releaseAt: number,
    exactly?: readonly number[],
  ): number[] {
    const free = state.freeOf(model) ?? [];
    const before = free.length;
    const taken = exactly ? takeExactly(free, exactly) : free.splice(0, gpus);
    if (state.node.schedulable) {
      this.bucket(model, before).delete(state);
      this.bucket(model, free.length).add(state);
    }
    state.addRelease({ at: releaseAt, gpus, model });
    return taken;
  }
}

/** Removes these indices from a node's free list (where they are); returns them, ascending. */
function takeExactly(free: number[], indices: readonly number[]): number[] {
  const taken: number[] = [];
  for (const index of indices) {
    const at = free.indexOf(index);
    if (at >= 0) taken.push(...free.splice(at, 1));
  }
  return taken.sort((a, b) => a - b);
}
