/**
 * Decayed GPU-seconds per queue and GPU model, for fair share. Between two events the GPUs a
 * leaf queue holds are constant (r), so usage is advanced exactly:
 *   U(t + dt) = U(t) * 2^(-dt/h) + r * h / ln 2 * (1 - 2^(-dt/h))
 * (h: the half-life; without decay, U + r * dt). Leaves hold the jobs; every ancestor reports
 * the sum of its children. O(queues x models) per event, independent of the job count.
 */
import type { QueueSpec } from '../../model';

export class UsageTracker {
  private readonly leaves: Map<string, number>;
  private readonly modelIndex: Map<string, number>;
  private readonly held: Float64Array;
  private readonly usage: Float64Array;
  /** Per leaf (in `leaves` order): its ancestors, nearest first. */
  private readonly ancestors: string[][];
  private last = 0;

  constructor(
    private readonly queues: readonly QueueSpec[],
    private readonly models: readonly string[],
    private readonly halfLifeSeconds: number,
  ) {
    const parents = new Set(queues.map((q) => q.parent).filter((p) => p !== null));
    this.leaves = new Map(
      queues.filter((q) => !parents.has(q.name)).map((q, i) => [q.name, i] as const),
    );
    this.modelIndex = new Map(models.map((m, i) => [m, i]));
    this.held = new Float64Array(this.leaves.size * models.length);
    this.usage = new Float64Array(this.leaves.size * models.length);
    const parentOf = new Map(queues.map((q) => [q.name, q.parent]));
    this.ancestors = [...this.leaves.keys()].map((leaf) => {
      const chain: string[] = [];
      for (let p = parentOf.get(leaf) ?? null; p !== null; p = parentOf.get(p) ?? null) {
        if (chain.includes(p)) throw new Error(`queues: ${leaf} has a cycle of parents`);
        chain.push(p);
      }
      return chain;
    });
  }

  /** A leaf queue starts (+) or stops (-) holding GPUs of a model. */
  change(queue: string, model: string, gpus: number): void {
    const leaf = this.leaves.get(queue);
    const m = this.modelIndex.get(model);
    if (leaf === undefined || m === undefined)
      throw new Error(`usage: unknown queue ${queue} or model ${model}`);
    this.held[leaf * this.models.length + m]! += gpus;
  }

  /** Moves usage forward to `now` (seconds). */
  advance(now: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.last = now;
    const h = this.halfLifeSeconds;
    const decays = h > 0 && Number.isFinite(h);
    const keep = decays ? Math.pow(2, -dt / h) : 1;
    const gain = decays ? (h / Math.LN2) * (1 - keep) : dt;
    for (let i = 0; i < this.usage.length; i++)
      this.usage[i] = this.usage[i]! * keep + this.held[i]! * gain;
  }

  /** Usage per queue (leaves and ancestors) and model, as of the last advance. */
  snapshot(): Map<string, Readonly<Record<string, number>>> {
    const result = new Map<string, Record<string, number>>();
    const width = this.models.length;
    for (const [queue, leaf] of this.leaves) {
      const own: Record<string, number> = {};
      this.models.forEach((model, m) => (own[model] = this.usage[leaf * width + m]!));
      result.set(queue, own);
      for (const parent of this.ancestors[leaf]!) {
        let sum = result.get(parent);
        if (!sum) result.set(parent, (sum = Object.fromEntries(this.models.map((m) => [m, 0]))));
        this.models.forEach((model, m) => (sum[model]! += this.usage[leaf * width + m]!));
      }
    }
    return result;
  }
}
