/**
 * Quota accounting over the queue tree: GPUs held per queue and model, counted at the queue and
 * every ancestor. A job may not take a queue (or an ancestor) past its maximum. Beyond its
 * queue's guarantee a job is *borrowing*: it runs on capacity others are guaranteed, and only
 * preemptible classes may borrow (so an owner can always reclaim). Where no queue is guaranteed
 * any of a model, nobody can reclaim it and nothing counts as borrowing.
 */
import { Reason } from '@gantry/domain';
import { limitFor, type QueueSpec } from '../../model';

// Read once: the domain barrel's getters would cost a call per waiting job in the hot loop.
const { WaitingForQuota } = Reason;

export type QuotaVerdict =
  | { readonly ok: true; readonly borrowing: boolean }
  | { readonly ok: false; readonly reason: string; readonly message: string };

// The answers that admit a job are the same for every job: one object each, not one per job.
const ADMITTED: QuotaVerdict = { ok: true, borrowing: false };
const BORROWING: QuotaVerdict = { ok: true, borrowing: true };

export class QuotaTracker {
  private readonly specs = new Map<string, QueueSpec>();
  private readonly used = new Map<string, Map<string, number>>();
  private readonly guaranteedModels = new Set<string>();
  private readonly chains = new Map<string, QueueSpec[]>();
  private readonly changes = new Map<string, number>();

  /** `held`: GPUs per queue and model held by the running jobs not told to stop. */
  constructor(
    queues: readonly QueueSpec[],
    held: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ) {
    for (const queue of queues) {
      this.specs.set(queue.name, queue);
      for (const [model, count] of Object.entries(queue.guaranteed))
        if (count > 0) this.guaranteedModels.add(model);
    }
    // Summed per queue and model (Holdings), so the tree is walked once per pair, not per job.
    for (const [queue, byModel] of held)
      for (const [model, gpus] of byModel) this.add(queue, model, gpus);
  }

  /** The queue and its ancestors, leaf first. Unknown queues stand alone with no limits. */
  chain(queue: string): QueueSpec[] {
    let cached = this.chains.get(queue);
    if (!cached) this.chains.set(queue, (cached = this.buildChain(queue)));
    return cached;
  }

  private buildChain(queue: string): QueueSpec[] {
    const chain: QueueSpec[] = [];
    let current = this.specs.get(queue) ?? {
      name: queue,
      parent: null,
      guaranteed: {},
      max: {},
      weight: 1,
    };
    for (let depth = 0; depth < 16; depth++) {
      chain.push(current);
      const parent = current.parent === null ? undefined : this.specs.get(current.parent);
      if (!parent) break;
      current = parent;
    }
    return chain;
  }

  usedBy(queue: string, model: string): number {
    return this.used.get(queue)?.get(model) ?? 0;
  }

  private modelGuaranteed(model: string): boolean {
    return this.guaranteedModels.has(model) || this.guaranteedModels.has('*');
  }

  /** Whether the queue holds more of the model than it is guaranteed (its jobs may be reclaimed). */
  isBorrowing(queue: string, model: string): boolean {
    if (!this.modelGuaranteed(model)) return false;
    const leaf = this.chain(queue)[0]!;
    return this.usedBy(queue, model) > limitFor(leaf.guaranteed, model, 0);
  }

  /**
   * Whether the queue can give up `gpus` of the model and still hold its guarantee (always, where
   * no queue is guaranteed any of the model).
   */
  canGive(queue: string, model: string, gpus: number): boolean {
    if (!this.modelGuaranteed(model)) return true;
    return this.usedBy(queue, model) - gpus >= limitFor(this.chain(queue)[0]!.guaranteed, model, 0);
  }

  evaluate(queue: string, model: string, gpus: number, preemptible: boolean): QuotaVerdict {
    let borrowing = false;
    for (const spec of this.chain(queue)) {
      const after = this.usedBy(spec.name, model) + gpus;
      const max = limitFor(spec.max, model, Number.POSITIVE_INFINITY);
      if (after > max) {
        return {
          ok: false,
          reason: WaitingForQuota,
          message: `queue ${spec.name} would hold ${after} ${model} GPUs; its maximum is ${max}`,
        };
      }
      if (spec.name === queue && this.modelGuaranteed(model))
        borrowing = after > limitFor(spec.guaranteed, model, 0);
    }
    if (borrowing && !preemptible) {
      const guaranteed = limitFor(this.chain(queue)[0]!.guaranteed, model, 0);
      return {
        ok: false,
        reason: WaitingForQuota,
        message: `needs more than queue ${queue}'s guaranteed ${guaranteed} ${model} GPUs; only preemptible classes may borrow`,
      };
    }
    return borrowing ? BORROWING : ADMITTED;
  }

  /** How often the queue's holdings changed (for memos of what depends on them). */
  changesOf(queue: string): number {
    return this.changes.get(queue) ?? 0;
  }

  add(queue: string, model: string, gpus: number): void {
    for (const spec of this.chain(queue)) {
      this.changes.set(spec.name, this.changesOf(spec.name) + 1);
      const byModel = this.used.get(spec.name) ?? new Map<string, number>();
      byModel.set(model, (byModel.get(model) ?? 0) + gpus);
      this.used.set(spec.name, byModel);
    }
  }
}
