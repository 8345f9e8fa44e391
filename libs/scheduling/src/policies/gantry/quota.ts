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

/** GPUs of a model a queue holds, its descendants' included. */
interface Tally {
  used: number;
}

/**
 * What admitting a job of a model into a queue reads, worked out once per queue and model: a
 * cycle asks it for most of 20,000 jobs, and each ask walked Maps and limit records per
 * ancestor. Per entry of the queue's chain (leaf first): its tally, its maximum, and whether its
 * guarantee decides borrowing (the queue itself, where the model is guaranteed anywhere).
 */
interface Limits {
  readonly specs: readonly QueueSpec[];
  readonly tallies: readonly Tally[];
  readonly maxes: readonly number[];
  readonly decidesBorrowing: readonly boolean[];
  readonly guarantees: readonly number[];
  /** The leaf's guarantee of the model, and whether any queue is guaranteed any of it. */
  readonly guaranteed: number;
  readonly modelGuaranteed: boolean;
  /** The refusal of a class that may not borrow, once first given. */
  mayNotBorrow?: QuotaVerdict;
}

export class QuotaTracker {
  private readonly specs = new Map<string, QueueSpec>();
  private readonly tallies = new Map<string, Map<string, Tally>>();
  private readonly limits = new Map<string, Map<string, Limits>>();
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

  private tally(queue: string, model: string): Tally {
    let byModel = this.tallies.get(queue);
    if (!byModel) this.tallies.set(queue, (byModel = new Map<string, Tally>()));
    let tally = byModel.get(model);
    if (!tally) byModel.set(model, (tally = { used: 0 }));
    return tally;
  }

  private limitsOf(queue: string, model: string): Limits {
    let byModel = this.limits.get(queue);
    if (!byModel) this.limits.set(queue, (byModel = new Map<string, Limits>()));
    let limits = byModel.get(model);
    if (!limits) {
      const specs = this.chain(queue);
      const modelGuaranteed = this.guaranteedModels.has(model) || this.guaranteedModels.has('*');
      limits = {
        specs,
        tallies: specs.map((spec) => this.tally(spec.name, model)),
        maxes: specs.map((spec) => limitFor(spec.max, model, Number.POSITIVE_INFINITY)),
        decidesBorrowing: specs.map((spec) => spec.name === queue && modelGuaranteed),
        guarantees: specs.map((spec) => limitFor(spec.guaranteed, model, 0)),
        guaranteed: limitFor(specs[0]!.guaranteed, model, 0),
        modelGuaranteed,
        mayNotBorrow: undefined,
      };
      byModel.set(model, limits);
    }
    return limits;
  }

  usedBy(queue: string, model: string): number {
    return this.tally(queue, model).used;
  }

  /** Whether the queue holds more of the model than it is guaranteed (its jobs may be reclaimed). */
  isBorrowing(queue: string, model: string): boolean {
    const limits = this.limitsOf(queue, model);
    return limits.modelGuaranteed && limits.tallies[0]!.used > limits.guaranteed;
  }

  /**
   * Whether the queue can give up `gpus` of the model and still hold its guarantee (always, where
   * no queue is guaranteed any of the model).
   */
  canGive(queue: string, model: string, gpus: number): boolean {
    const limits = this.limitsOf(queue, model);
    return !limits.modelGuaranteed || limits.tallies[0]!.used - gpus >= limits.guaranteed;
  }

  /**
   * Whether the queue holds more of the model than it is guaranteed and can give up `gpus` of it
   * and still hold its guarantee: isBorrowing and canGive in one look-up (a reclaim search asks
   * this of each job on thousands of nodes).
   */
  lendsSpare(queue: string, model: string, gpus: number): boolean {
    const limits = this.limitsOf(queue, model);
    const used = limits.tallies[0]!.used;
    return limits.modelGuaranteed && used > limits.guaranteed && used - gpus >= limits.guaranteed;
  }

  evaluate(queue: string, model: string, gpus: number, preemptible: boolean): QuotaVerdict {
    const limits = this.limitsOf(queue, model);
    let borrowing = false;
    for (let i = 0; i < limits.specs.length; i++) {
      const after = limits.tallies[i]!.used + gpus;
      const max = limits.maxes[i]!;
      if (after > max) {
        return {
          ok: false,
          reason: WaitingForQuota,
          message: `queue ${limits.specs[i]!.name} would hold ${after} ${model} GPUs; its maximum is ${max}`,
        };
      }
      if (limits.decidesBorrowing[i]) borrowing = after > limits.guarantees[i]!;
    }
    if (borrowing && !preemptible) {
      // The same answer for every job of the queue and model: one object, not one per job.
      return (limits.mayNotBorrow ??= {
        ok: false,
        reason: WaitingForQuota,
        message: `needs more than queue ${queue}'s guaranteed ${limits.guaranteed} ${model} GPUs; only preemptible classes may borrow`,
      });
    }
    return borrowing ? BORROWING : ADMITTED;
  }

  /** How often the queue's holdings changed (for memos of what depends on them). */
  changesOf(queue: string): number {
    return this.changes.get(queue) ?? 0;
  }

  add(queue: string, model: string, gpus: number): void {
    const { specs, tallies } = this.limitsOf(queue, model);
    for (let i = 0; i < specs.length; i++) {
      this.changes.set(specs[i]!.name, this.changesOf(specs[i]!.name) + 1);
      tallies[i]!.used += gpus;
    }
  }
}
