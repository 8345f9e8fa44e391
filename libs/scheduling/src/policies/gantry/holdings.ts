/**
 * What the running jobs hold, per allocation on a listed node (k = 0, 1, ... in the order the
 * jobs are listed) with its job and node, grouped by node, the GPU indices held on each node,
 * and per queue and model the GPUs held (for quotas). Per-allocation work walks k in order, and
 * per-node work reads the grouping: walking the jobs node by node through their objects cost a
 * cache miss per allocation, which made the index the costliest step of a cycle on a large
 * cluster. What does not depend on the clock comes from RunningFacts (kept from the last
 * cycle for the jobs it had: running-facts.ts); the victim ratings, which do, are worked out
 * here from those facts, as victim-facts.ts would from the jobs.
 */
import type { RunningJob } from '../../model';
import { cycleColumns } from './column-pool';
import type { RunningFacts } from './running-facts';
import { RECLAIMABLE, TAKEABLE, type VictimRules } from './victim-facts';

export { gpusHeld, gpusOn } from './running-facts';

export class Holdings {
  /** Per allocation k: its job and the position of its node. */
  readonly jobs: readonly RunningJob[];
  readonly nodeOf: Int32Array;
  /** Per allocation k, for releases: its job's GPU model and expected end, and its GPUs. */
  readonly models: readonly string[];
  readonly ends: Float64Array;
  readonly sizes: Int32Array;
  /** Per allocation k: what its job holds on k's node in all (its other allocations there too). */
  readonly heldOn: Int32Array;
  /** Per allocation k: its job as a victim (victim-facts.ts), its class priority, the work lost. */
  readonly victimKinds: Uint8Array;
  readonly victimTiers: Float64Array;
  readonly victimLosses: Float64Array;
  /** Node n's allocations, in the jobs' order: order[start[n]] .. order[start[n + 1] - 1]. */
  readonly order: Int32Array;
  readonly start: Int32Array;
  /** The allocations of jobs told to stop; per allocation, 1 if its job is told to stop. */
  readonly stopping: number[] = [];
  readonly stops: Uint8Array;
  /** GPUs held per queue and model by the jobs not told to stop (on any node), for quotas. */
  readonly heldByQueue = new Map<string, Map<string, number>>();
  /** The classes of the jobs not told to stop. */
  readonly runningClasses = new Set<string>();
  /** Per node, bit i set when GPU index i (0 <= i < 31) is held; other indices in `heldOther`. */
  private readonly heldBits: Int32Array;
  private readonly heldOther = new Map<number, Set<number>>();

  constructor(
    facts: RunningFacts,
    nodeCount: number,
    /** The rules the victim columns were rated by. */
    readonly rules: VictimRules,
  ) {
    const k = facts.count;
    this.jobs = facts.jobOf;
    // Copies, not the facts' own columns: those go back to the pool when the next cycle's
    // facts are built, while an index may still be in use (column-pool.ts).
    this.nodeOf = cycleColumns.copy(facts.nodeOf);
    this.models = facts.models;
    this.ends = cycleColumns.copy(facts.ends);
    this.sizes = cycleColumns.copy(facts.sizes);
    this.heldOn = cycleColumns.copy(facts.heldOn);
    this.stops = cycleColumns.take(Uint8Array, k);
    this.victimKinds = cycleColumns.take(Uint8Array, k);
    this.victimTiers = cycleColumns.take(Float64Array, k);
    this.victimLosses = cycleColumns.take(Float64Array, k);
    this.start = cycleColumns.take(Int32Array, nodeCount + 1);
    this.heldBits = cycleColumns.take(Int32Array, nodeCount);
    this.sum(facts);
    this.rate(facts, rules);
    const { start, nodeOf, heldBits } = this;
    const bits = facts.heldBits;
    const stopping = facts.stopping;
    const jobIndex = facts.jobIndex;
    for (let i = 0; i < k; i++) {
      const n = nodeOf[i]!;
      start[n + 1]!++;
      heldBits[n]! |= bits[i]!;
      if (stopping[jobIndex[i]!]) {
        this.stopping.push(i);
        this.stops[i] = 1;
      }
    }
    for (const [i, indices] of facts.heldOther) {
      const n = nodeOf[i]!;
      let other = this.heldOther.get(n);
      if (!other) this.heldOther.set(n, (other = new Set()));
      for (const index of indices) other.add(index);
    }
    for (let n = 0; n < nodeCount; n++) start[n + 1]! += start[n]!;
    const next = start.slice(0, nodeCount);
    this.order = cycleColumns.take(Int32Array, k);
    for (let i = 0; i < k; i++) this.order[next[nodeOf[i]!]!++] = i;
  }

  /** The quota sums and running classes over the jobs not told to stop, in the jobs' order. */
  private sum(facts: RunningFacts): void {
    const { queues, models } = facts.pairs;
    const sums = new Float64Array(queues.length);
    const seen = new Uint8Array(queues.length);
    const pairs: number[] = [];
    const classSeen = new Uint8Array(facts.classNames.names.length);
    const { stopping, pair, gpus, classId } = facts;
    for (let j = 0; j < facts.jobs.length; j++) {
      if (stopping[j]) continue;
      const p = pair[j]!;
      if (!seen[p]) {
        seen[p] = 1;
        pairs.push(p);
      }
      sums[p]! += gpus[j]!;
      const c = classId[j]!;
      if (!classSeen[c]) {
        classSeen[c] = 1;
        this.runningClasses.add(facts.classNames.names[c]!);
      }
    }
    for (const p of pairs) {
      let byModel = this.heldByQueue.get(queues[p]!);
      if (!byModel) this.heldByQueue.set(queues[p]!, (byModel = new Map<string, number>()));
      byModel.set(models[p]!, sums[p]!);
    }
  }

  /** Each allocation's job as a victim at the rules' clock (victim-facts.ts, from the facts). */
  private rate(facts: RunningFacts, rules: VictimRules): void {
    const { now, opportunisticBelow } = rules;
    const { jobIndex, mayBeVictim, priority: tier, minRunEnd, protectedUntil, underCap } = facts;
    const { gpus, workSince } = facts;
    const { victimKinds, victimTiers, victimLosses } = this;
    for (let i = 0; i < facts.count; i++) {
      const j = jobIndex[i]!;
      if (!mayBeVictim[j]) continue; // NOT_A_VICTIM (0), class 0, nothing lost: as allocated
      const priority = tier[j]!;
      const takeable = now >= minRunEnd[j]! && now >= protectedUntil[j]! && underCap[j] === 1;
      victimKinds[i] = takeable ? TAKEABLE : RECLAIMABLE;
      victimTiers[i] = priority;
      victimLosses[i] =
        priority < opportunisticBelow ? 0 : gpus[j]! * ((now - workSince[j]!) / 1000);
    }
  }

  isHeld(n: number, index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < 31
      ? (this.heldBits[n]! & (1 << index)) !== 0
      : (this.heldOther.get(n)?.has(index) ?? false);
  }

  /** Whether any GPU of node n is held. */
  anyHeld(n: number): boolean {
    return this.heldBits[n] !== 0 || this.heldOther.has(n);
  }
}
