/**
 * The market's figures (ADR 10) from the scheduler's snapshot, per GPU model: capacity, what
 * internal work holds, what leases hold, what is free, what waits, and the guarantees. Prices
 * and offers are computed from these; nothing here does I/O.
 *
 * Conventions:
 * - Only schedulable nodes count, and only GPUs of a catalog model ('' is skipped).
 * - A job is the market's when its queue is a leaf of the `market` organization (leases are
 *   jobs of kind `lease` there); every other job is internal. Jobs that run inside a lease are
 *   not in the snapshot (the lease job holds their GPUs), so they are not counted twice.
 * - A GPU is busy while any running job holds it, one told to stop included (it frees it only
 *   when it exits).
 * - A pending job counts toward a model it could run on: it names that model or none, and the
 *   model's schedulable nodes could hold its shape (`nodes` nodes with `gpusPerNode` GPUs each,
 *   in one fabric domain). A job that accepts any model counts toward each such model: offers
 *   err on the side of internal work.
 */
import { limitFor, type ClusterSnapshot } from '../model';
import { fitTest, internalLeaves, marketTierOf } from './market-queues';

/** One model's GPUs on one schedulable node. */
export interface NodeShare {
  readonly nodeId: string;
  readonly nodeName: string;
  /** Its fabric domain (the fabric label's value; '' when unlabeled). */
  readonly domain: string;
  readonly model: string;
  readonly gpus: number;
  /** GPUs no running job holds. */
  readonly free: number;
  /**
   * The interruptible leases holding GPUs of the model here and not in their notice: what a
   * higher bid may displace (ADR 12), lowest bid (job priority) first.
   */
  readonly bids: readonly HeldBid[];
}

/** GPUs an interruptible lease holds on one node, and its bid as its job's priority (cents). */
export interface HeldBid {
  readonly jobId: string;
  readonly gpus: number;
  readonly priority: number;
}

/** One GPU model's figures (GPU counts). */
export interface ModelFigures {
  readonly model: string;
  /** GPUs of schedulable nodes. */
  readonly capacity: number;
  /** Held by internal jobs. */
  readonly internalBusy: number;
  /** Held by leases (any product). */
  readonly rented: number;
  /** Held by on-demand and reserved leases (not preemptible). */
  readonly rentedGuaranteed: number;
  readonly free: number;
  /** Pending internal GPUs that could run on this model. */
  readonly pendingInternal: number;
  /** Pending lease GPUs of this model (bought, waiting for their GPUs). */
  readonly pendingLeases: number;
  /** Of those, on-demand and reserved. */
  readonly pendingGuaranteedLeases: number;
  /** Sum of the internal leaf queues' guarantees. */
  readonly internalGuaranteed: number;
  /** Per internal leaf: max(what it is guaranteed but does not hold, what it has pending); summed. */
  readonly internalProtected: number;
  /** The `market` queue's guarantee: capacity minus the internal guarantees, at least 0. */
  readonly marketGuarantee: number;
  /** pendingInternal / capacity (0 without capacity). */
  readonly pressure: number;
  /** internalBusy / capacity (0 without capacity). */
  readonly utilization: number;
}

export interface MarketFigures {
  readonly now: number;
  /** Per catalog model present on a schedulable node, in the order first seen. */
  readonly models: ReadonlyMap<string, ModelFigures>;
  /** Per schedulable node and model, in the snapshot's node order. */
  readonly shares: readonly NodeShare[];
}

type Counts = Record<
  'capacity' | 'internalBusy' | 'rented' | 'rentedGuaranteed' | 'free' | 'pendingInternal',
  number
> &
  Record<'pendingLeases' | 'pendingGuaranteedLeases', number>;

const zero = (): Counts => ({
  capacity: 0,
  internalBusy: 0,
  rented: 0,
  rentedGuaranteed: 0,
  free: 0,
  pendingInternal: 0,
  pendingLeases: 0,
  pendingGuaranteedLeases: 0,
});

/** The market's figures of a snapshot. */
export function marketFigures(snapshot: ClusterSnapshot): MarketFigures {
  const queues = new Map(snapshot.queues.map((q) => [q.name, q]));
  const tierOf = (queue: string) => marketTierOf(queue, queues);
  const counts = new Map<string, Counts>();
  const countsOf = (model: string): Counts => {
    let c = counts.get(model);
    if (!c) counts.set(model, (c = zero()));
    return c;
  };

  // Who holds each GPU (node id -> index -> the holder's market tier, or 'internal'). A GPU a lease
  // holds stays rented whatever else is listed on it (a renter's job inside the lease).
  const holders = new Map<string, Map<number, string>>();
  const heldByQueue = new Map<string, Map<string, number>>();
  for (const job of snapshot.running) {
    const product = tierOf(job.queue) ?? 'internal';
    for (const { nodeId, gpuIndices } of job.allocations) {
      const onNode = holders.get(nodeId) ?? new Map<number, string>();
      holders.set(nodeId, onNode);
      for (const index of gpuIndices) {
        const holder = onNode.get(index);
        if (holder === undefined || holder === 'internal') onNode.set(index, product);
      }
    }
  }

  // The interruptible leases per node and model that a higher bid could displace.
  const bids = new Map<string, HeldBid[]>();
  for (const job of snapshot.running) {
    if (job.stopping || tierOf(job.queue) !== 'interruptible') continue;
    for (const { nodeId, gpuIndices } of job.allocations) {
      const key = `${nodeId}|${job.gpuModel}`;
      const list = bids.get(key) ?? [];
      bids.set(key, list);
      list.push({ jobId: job.id, gpus: gpuIndices.length, priority: job.priority });
    }
  }
  for (const list of bids.values())
    list.sort((a, b) => a.priority - b.priority || (a.jobId < b.jobId ? -1 : 1));

  const shares: NodeShare[] = [];
  const label = snapshot.config.fabricLabel;
  for (const node of snapshot.nodes) {
    if (!node.schedulable) continue;
    const onNode = holders.get(node.id);
    const perModel = new Map<string, { gpus: number; free: number }>();
    for (const gpu of node.gpus) {
      if (gpu.model === '') continue;
      const c = countsOf(gpu.model);
      const share = perModel.get(gpu.model) ?? { gpus: 0, free: 0 };
      perModel.set(gpu.model, share);
      c.capacity++;
      share.gpus++;
      const holder = onNode?.get(gpu.index);
      if (holder === undefined) {
        c.free++;
        share.free++;
      } else if (holder === 'internal') c.internalBusy++;
      else {
        c.rented++;
        if (holder !== 'interruptible') c.rentedGuaranteed++;
      }
    }
    const domain = node.labels[label] ?? '';
    for (const [model, { gpus, free }] of perModel) {
      const held = bids.get(`${node.id}|${model}`) ?? [];
      shares.push({ nodeId: node.id, nodeName: node.name, domain, model, gpus, free, bids: held });
    }
  }

  // What internal queues hold per model on schedulable nodes (not counting jobs told to stop,
  // as quotas do not).
  const schedulable = new Set(snapshot.nodes.filter((n) => n.schedulable).map((n) => n.id));
  for (const job of snapshot.running) {
    if (job.stopping || tierOf(job.queue) !== undefined || job.gpuModel === '') continue;
    const byModel = heldByQueue.get(job.queue) ?? new Map<string, number>();
    heldByQueue.set(job.queue, byModel);
    const held = job.allocations
      .filter((a) => schedulable.has(a.nodeId))
      .reduce((n, a) => n + a.gpuIndices.length, 0);
    byModel.set(job.gpuModel, (byModel.get(job.gpuModel) ?? 0) + held);
  }

  const fits = fitTest(shares);
  const pendingByQueue = new Map<string, Map<string, number>>();
  for (const job of snapshot.pending) {
    const gpus = job.shape.nodes * job.shape.gpusPerNode;
    if (gpus <= 0) continue;
    const product = tierOf(job.queue);
    for (const model of counts.keys()) {
      if (!fits(job.shape, model)) continue;
      const c = counts.get(model)!;
      if (product === undefined) {
        c.pendingInternal += gpus;
        const byModel = pendingByQueue.get(job.queue) ?? new Map<string, number>();
        pendingByQueue.set(job.queue, byModel);
        byModel.set(model, (byModel.get(model) ?? 0) + gpus);
      } else {
        c.pendingLeases += gpus;
        if (product !== 'interruptible') c.pendingGuaranteedLeases += gpus;
      }
    }
  }

  const leaves = internalLeaves(snapshot.queues, tierOf, [...pendingByQueue.keys()]);
  const models = new Map<string, ModelFigures>();
  for (const [model, c] of counts) {
    let internalGuaranteed = 0;
    let internalProtected = 0;
    for (const leaf of leaves) {
      const guaranteed = leaf.spec ? limitFor(leaf.spec.guaranteed, model, 0) : 0;
      const held = heldByQueue.get(leaf.name)?.get(model) ?? 0;
      const pending = pendingByQueue.get(leaf.name)?.get(model) ?? 0;
      internalGuaranteed += guaranteed;
      internalProtected += Math.max(guaranteed - held, pending, 0);
    }
    const ratio = (n: number) => (c.capacity > 0 ? n / c.capacity : 0);
    models.set(model, {
      model,
      ...c,
      internalGuaranteed,
      internalProtected,
      marketGuarantee: Math.max(0, c.capacity - internalGuaranteed),
      pressure: ratio(c.pendingInternal),
      utilization: ratio(c.internalBusy),
    });
  }
  return { now: snapshot.now, models, shares };
}
