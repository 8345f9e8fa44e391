/**
 * Dominant-resource fairness over GPU-seconds. A queue's share is, over GPU models, the largest
 * fraction of the cluster it has used lately (decayed GPU-seconds over capacity × half-life)
 * plus what it holds now, divided by its weight. Among queues of equal standing the one with
 * the smallest share goes first; organizations are compared before their queues.
 */
import type { ClusterSnapshot } from '../../model';
import type { NodeIndex } from './node-index';
import type { QuotaTracker } from './quota';

export class FairShare {
  private readonly capacity = new Map<string, number>();
  private readonly horizonSeconds: number;

  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly quota: QuotaTracker,
    index: NodeIndex,
  ) {
    // The index has counted each node's GPUs per model: no walk over 80,000 GPUs here.
    for (const state of index.all) {
      if (!state.node.schedulable) continue;
      state.models.forEach((model, slot) =>
        this.capacity.set(model, (this.capacity.get(model) ?? 0) + state.totals[slot]!),
      );
    }
    this.horizonSeconds = Math.max(1, snapshot.config.fairShareHalfLifeSeconds);
  }

  /** The share of one queue or organization (its own usage entries and holdings). */
  of(queue: string, weight: number): number {
    const usage = this.snapshot.usage.get(queue) ?? {};
    let dominant = 0;
    for (const [model, capacity] of this.capacity) {
      if (capacity === 0) continue;
      const recent = (usage[model] ?? 0) / (capacity * this.horizonSeconds);
      const held = this.quota.usedBy(queue, model) / capacity;
      dominant = Math.max(dominant, recent + held);
    }
    return dominant / Math.max(weight, 1e-9);
  }
}
