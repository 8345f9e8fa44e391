/**
 * Fair-share accounting, run by the leader: every so often, the GPU-seconds the active attempts
 * used since the last accrual are added to their queue and its ancestors (per GPU model), after
 * decaying what was stored by the half-life. The first look in a term only sets the baseline.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import type { ClusterSnapshot } from '@gantry/scheduling';
import type { PolicyRepository, QueueRecord } from '@gantry/store';
import { CONFIG, POLICY } from '../infrastructure/tokens';

export function ancestry(queue: string, queues: readonly QueueRecord[]): string[] {
  const parents = new Map(queues.map((q) => [q.name, q.parent]));
  const chain = [queue];
  for (let parent = parents.get(queue); parent && chain.length < 16; parent = parents.get(parent))
    chain.push(parent);
  return chain;
}

@Injectable()
export class UsageAccountant {
  private last?: number;

  constructor(
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  reset(): void {
    this.last = undefined;
  }

  /** Whether an accrual at `now` would write (the first look in a term only sets the baseline). */
  isDue(now: number): boolean {
    return (
      this.last === undefined || now - this.last >= this.config.reconcileIntervalSeconds * 1000
    );
  }

  /** Accrues usage up to the snapshot's time if the reconcile interval has passed. */
  async accrue(
    fence: number,
    snapshot: ClusterSnapshot,
    queues: readonly QueueRecord[],
  ): Promise<boolean> {
    const now = snapshot.now;
    if (this.last === undefined) {
      this.last = now;
      return false;
    }
    if (now - this.last < this.config.reconcileIntervalSeconds * 1000) return false;
    const seconds = (now - this.last) / 1000;
    const added = new Map<string, { queue: string; model: string; gpuSeconds: number }>();
    for (const job of snapshot.running) {
      const gpus = job.allocations.reduce((n, a) => n + a.gpuIndices.length, 0);
      if (gpus === 0) continue;
      for (const queue of ancestry(job.queue, queues)) {
        const key = `${queue}\u0000${job.gpuModel}`;
        const entry = added.get(key) ?? { queue, model: job.gpuModel, gpuSeconds: 0 };
        entry.gpuSeconds += gpus * seconds;
        added.set(key, entry);
      }
    }
    await this.policy.accrueUsage(
      fence,
      [...added.values()],
      now,
      this.config.fairShareHalfLifeSeconds,
    );
    this.last = now;
    return true;
  }
}
