/**
 * Dominant-resource fairness over GPU-seconds. A queue's share is, over GPU models, the largest
 * fraction of the cluster it has used lately (decayed GPU-seconds over capacity × half-life)
 * plus what it holds now, divided by its weight. Among queues of equal standing the one with
 * the smallest share goes first; organizations are compared before their queues.
 */
import type { ClusterSnapshot } from '../../model';
import type { NodeIndex } from './node-index';
import type { QuotaTracker } from './quota';

const NO_USAGE: Readonly<Record<string, number>> = {};

export class FairShare {
  /** The models schedulable nodes have, and how many GPUs of each. */
  private readonly models: string[] = [];
  private readonly capacities: number[] = [];
  private readonly horizonSeconds: number;

  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly quota: QuotaTracker,
    index: NodeIndex,
  ) {
    // The index has counted each node's GPUs per model: no walk over 80,000 GPUs here.
    const capacity = new Map<string, number>();
    for (let n = 0; n < index.all.length; n++) {
      const state = index.all[n]!;
      if (!state.node.schedulable) continue;
      for (let slot = 0; slot < state.models.length; slot++) {
        const model = state.models[slot]!;
        capacity.set(model, (capacity.get(model) ?? 0) + state.totals[slot]!);
      }
    }
    this.horizonSeconds = Math.max(1, snapshot.config.fairShareHalfLifeSeconds);
    // As lists: shares are worked out again after every placement, and walking the Map made
    // an entry array per model each time.
    for (const [model, gpus] of capacity) {
      if (gpus === 0) continue;
      this.models.push(model);
      this.capacities.push(gpus);
    }
  }

  /** The share of one queue or organization (its own usage entries and holdings). */
  of(queue: string, weight: number): number {
    const usage = this.snapshot.usage.get(queue) ?? NO_USAGE;
    let dominant = 0;
    for (let m = 0; m < this.models.length; m++) {
      const model = this.models[m]!;
      const capacity = this.capacities[m]!;
      const recent = (usage[model] ?? 0) / (capacity * this.horizonSeconds);
      const held = this.quota.usedBy(queue, model) / capacity;
      dominant = Math.max(dominant, recent + held);
    }
    return dominant / Math.max(weight, 1e-9);
  }
}
