/**
 * The nodes a victim search may look at and the cheapest victim each could offer: GPUs already
 * freeing first, then the lowest class, then the least work since the last checkpoint, then the
 * node with the most GPUs held by jobs that are not opportunistic (so a job that takes the GPUs
 * of interruptible leases, which cost no work, packs where best fit would have put it without
 * them, and whole nodes stay clear of internal work for gangs). It is worked out once per
 * cycle, model and kind of search, as first asked for (victims chosen later in the cycle only
 * make a node dearer, so the bound stays a lower bound).
 */
import { cycleColumns } from './column-pool';
import type { Holdings } from './holdings';
import type { NodeIndex, NodeState } from './node-index';
import { NOT_A_VICTIM, RECLAIMABLE, TAKEABLE } from './victim-facts';

export class VictimOrder {
  /** The listed nodes' positions, in the domains' order; sorted cheapest first when asked. */
  private readonly order: number[] = [];
  /** Per node position, when `listed`: its cheapest victim's tier and lost work, and the GPUs
   * of the model held by settled jobs. Columns, not an object per node: two orders a cycle
   * over 10,000 nodes made ~3 MB of objects the collector then had to move. */
  private readonly tiers: Float64Array;
  private readonly losses: Float64Array;
  private readonly settled: Float64Array;
  private readonly listed: Uint8Array;
  private sorted = false;
  /** Per allocation k of Holdings: whether its job counts here as a victim. */
  private readonly counts: Uint8Array;
  private readonly holdings: Holdings;
  private readonly opportunisticBelow: number;

  /**
   * Schedulable nodes that have GPUs freeing or preemptible jobs of the model; with
   * `priorityOnly`, counting only jobs priority preemption may take now.
   */
  constructor(
    index: NodeIndex,
    private readonly model: string,
    priorityOnly: boolean,
  ) {
    this.holdings = index.holdings;
    const nodes = index.all.length;
    this.tiers = cycleColumns.take(Float64Array, nodes);
    this.losses = cycleColumns.take(Float64Array, nodes);
    this.settled = cycleColumns.take(Float64Array, nodes);
    this.listed = cycleColumns.take(Uint8Array, nodes);
    const {
      order,
      start,
      models,
      sizes,
      stops,
      victimKinds,
      victimTiers: tiers,
      victimLosses: losses,
    } = index.holdings;
    const ceiling = (this.opportunisticBelow = index.opportunisticBelow);
    const least = priorityOnly ? TAKEABLE : RECLAIMABLE;
    const counts = (this.counts = cycleColumns.take(Uint8Array, victimKinds.length));
    for (let k = 0; k < counts.length; k++)
      counts[k] = victimKinds[k]! >= least && models[k] === model ? 1 : 0;
    // Per node, its cheapest, over its jobs in their order.
    for (let d = 0; d < index.domainList.length; d++) {
      const members = index.domainList[d]!;
      for (let m = 0; m < members.length; m++) {
        const state = members[m]!;
        const freeing = state.stoppingOf(model) > 0;
        let tier = freeing ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        let lost = freeing ? 0 : Number.POSITIVE_INFINITY;
        let settled = 0;
        for (let i = start[state.group]!; i < start[state.group + 1]!; i++) {
          const k = order[i]!;
          if (
            models[k] === model &&
            !stops[k] &&
            (victimKinds[k] === NOT_A_VICTIM || tiers[k]! >= ceiling)
          )
            settled += sizes[k]!;
          if (!counts[k]) continue;
          if (tiers[k]! < tier || (tiers[k] === tier && losses[k]! < lost)) {
            tier = tiers[k]!;
            lost = losses[k]!;
          }
        }
        if (tier === Number.POSITIVE_INFINITY) continue;
        const n = state.position;
        this.order.push(n);
        this.tiers[n] = tier;
        this.losses[n] = lost;
        this.settled[n] = settled;
        this.listed[n] = 1;
      }
    }
  }

  /**
   * The listed nodes' positions cheapest first: GPUs freeing, then the lowest tier, then the
   * least work lost, then (among opportunistic victims) the most GPUs held by settled jobs, then
   * position. Sorted when first asked for (gang searches never ask).
   */
  cheapestFirst(): readonly number[] {
    if (!this.sorted) {
      const { tiers, losses, settled } = this;
      const ceiling = this.opportunisticBelow;
      this.order.sort(
        (a, b) =>
          tiers[a]! - tiers[b]! ||
          losses[a]! - losses[b]! ||
          (tiers[a]! > Number.NEGATIVE_INFINITY && tiers[a]! < ceiling
            ? settled[b]! - settled[a]!
            : 0) ||
          a - b,
      );
      this.sorted = true;
    }
    return this.order;
  }

  /** A listed node's cheapest victim: its tier (-Infinity: GPUs freeing) and work lost. */
  tierAt(position: number): number {
    return this.tiers[position]!;
  }

  lostAt(position: number): number {
    return this.losses[position]!;
  }

  /**
   * The most GPUs of the model the node could have once victims stop: free, freeing, and what
   * the jobs this order counts (of a class below `below`, if given) hold there. A node short of
   * a search's need even so offers it nothing, and its victims need not be rated.
   */
  mostFreeable(state: NodeState, below: number | undefined): number {
    const { order, start, heldOn } = this.holdings;
    let gpus = state.freeCount(this.model) + state.stoppingOf(this.model);
    for (let i = start[state.group]!; i < start[state.group + 1]!; i++) {
      const k = order[i]!;
      if (this.counts[k] && (below === undefined || this.holdings.victimTiers[k]! < below))
        gpus += heldOn[k]!;
    }
    return gpus;
  }

  /** The class priority of the node's cheapest victim (-Infinity: GPUs freeing); else undefined. */
  tierOf(state: NodeState): number | undefined {
    return this.listed[state.position] ? this.tiers[state.position] : undefined;
  }
}
