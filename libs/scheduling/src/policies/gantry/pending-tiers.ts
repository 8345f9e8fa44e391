/**
 * The pending jobs as the job order takes them: per queue, per tier (the class's priority, or
 * AGED_TIER for a starving job), each tier's jobs by job priority (higher first), then submit
 * time, then id, then place in the list (a stable sort's order).
 *
 * Kept from one cycle to the next, as RunningFacts are: consecutive snapshots list mostly the
 * same pending job objects in the same order (a few placed, a few new at the end, a few replaced
 * with nominated nodes), and a snapshot is immutable, so a job object seen in the last cycle has
 * the queue, class and waiting time read then. `build` walks the new list beside the last one
 * (list-diff.ts: pointer comparisons, no job object read), keeps each tier's surviving jobs in
 * their last order (still sorted: the sort key of an object does not change) and sorts in only
 * the jobs it did not find or whose tier changed (aging moves a job to AGED_TIER as the clock
 * passes its starvation age). Reading 100,000 job objects scattered over the heap cost ~20 ms a
 * cycle in cache misses alone; the pointers and the typed columns here are read in order.
 *
 * The result is exactly the from-scratch one (pending-tiers.spec.ts checks this over random
 * sequences of snapshots): sorting a set by a total order has one result. A figure with no
 * order (NaN priority or submit time, or a NaN tier) makes the comparison no total order; such
 * a list is split from scratch, as the order did before (tiers in first-seen order, each sorted
 * stably, the tiers by `b.tier - a.tier`), and lends nothing to the next cycle.
 */
import { waitingSinceOf, type PendingJob, type PriorityClass } from '../../model';
import { columnPool } from './column-pool';
import { ListDiff } from './list-diff';
import { Names } from './names';

/** The tier of starving jobs: above every class. */
export const AGED_TIER = Number.MAX_SAFE_INTEGER;

/**
 * One tier of a queue: its jobs in order, as their places in the pending list (no array of
 * job objects made per tier and cycle: 100,000 pointers the collector then moved).
 */
export interface Tier {
  readonly tier: number;
  readonly positions: Int32Array;
  /** The whole pending list the positions are in. */
  readonly pending: readonly PendingJob[];
}

/** A tier's jobs, in order. */
export function jobsOf(tier: Tier): PendingJob[] {
  return Array.from(tier.positions, (p) => tier.pending[p]!);
}

/** Jobs of one tier: by job priority (higher first), then submit time, then id. */
export const byPriorityThenAge = (a: PendingJob, b: PendingJob): number =>
  b.priority - a.priority ||
  a.submittedAt - b.submittedAt ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Equal tiers, NaN with NaN (as keys of a Map). */
const sameTier = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** The jobs of one queue and tier, as positions in the pending list, in order. */
interface Group {
  readonly queue: number;
  readonly tier: number;
  positions: Int32Array;
}

/** What the memo of a class list keeps (see `build`). */
const memos = new WeakMap<readonly PriorityClass[], PendingTiers>();

export class PendingTiers {
  /** Per queue name: its tiers, highest first. */
  readonly byQueue = new Map<string, Tier[]>();
  /** The jobs with nominated nodes, in the list's order. */
  readonly nominated: PendingJob[] = [];
  /** Whether a figure the order compares is NaN (the job order then scans its lanes). */
  unordered = false;
  /** Per position: interned queue and class, waiting-since (ms), nominated nodes or not. */
  private readonly queueId: Int32Array;
  private readonly classId: Int32Array;
  private readonly waitingSince: Float64Array;
  private readonly hasNominated: Uint8Array;
  /** Per position: the job's priority and submit time, which the order compares first. */
  private readonly priority: Float64Array;
  private readonly submittedAt: Float64Array;
  private groups: Group[] = [];

  private constructor(
    private readonly jobs: readonly PendingJob[],
    private readonly agedBefore: number,
    private readonly queues: Names,
    private readonly classes: Names,
    /** Per interned class: its priority. */
    private readonly classTiers: number[],
  ) {
    const n = jobs.length;
    this.queueId = columnPool.take(Int32Array, n);
    this.classId = columnPool.take(Int32Array, n);
    this.waitingSince = columnPool.take(Float64Array, n);
    this.hasNominated = columnPool.take(Uint8Array, n);
    this.priority = columnPool.take(Float64Array, n);
    this.submittedAt = columnPool.take(Float64Array, n);
  }

  /**
   * The tiers of a pending list. `classList` (the snapshot's classes, which `classOf` reads)
   * keys what is kept: the last list split under the same classes lends its jobs' facts.
   */
  static of(
    pending: readonly PendingJob[],
    classList: readonly PriorityClass[],
    classOf: (job: PendingJob) => PriorityClass,
    agedBefore: number,
  ): PendingTiers {
    const tiers = PendingTiers.build(pending, classOf, agedBefore, memos.get(classList));
    if (tiers.unordered) memos.delete(classList);
    else memos.set(classList, tiers);
    return tiers;
  }

  /**
   * The tiers of a pending list; `previous` (split with the same classes) lends its facts, and
   * then its columns to the pool (column-pool.ts): it lends once, and is of no use after.
   */
  static build(
    pending: readonly PendingJob[],
    classOf: (job: PendingJob) => PriorityClass,
    agedBefore: number,
    lender?: PendingTiers,
  ): PendingTiers {
    const previous = lender?.released ? undefined : lender;
    const tiers = previous
      ? new PendingTiers(
          pending,
          agedBefore,
          previous.queues,
          previous.classes,
          previous.classTiers,
        )
      : new PendingTiers(pending, agedBefore, new Names(), new Names(), []);
    const fresh = tiers.read(classOf, previous);
    if (tiers.unordered) tiers.splitFromScratch();
    else tiers.split(fresh.positions, fresh.kept, previous);
    columnPool.give(fresh.kept);
    previous?.release();
    return tiers;
  }

  /** Whether its columns went back to the pool (it then lends nothing). */
  private released = false;

  private release(): void {
    this.released = true;
    const { queueId, classId, waitingSince, hasNominated, priority, submittedAt } = this;
    columnPool.give(queueId, classId, waitingSince, hasNominated, priority, submittedAt);
    for (const group of this.groups) columnPool.give(group.positions);
    this.groups = [];
  }

  /** A position's tier. */
  private tierAt(p: number): number {
    return this.waitingSince[p]! < this.agedBefore ? AGED_TIER : this.classTiers[this.classId[p]!]!;
  }

  /**
   * One pass over the list: each job's facts, copied when the last list has the object. Gives
   * the positions to sort in (not found, or found in another tier) and, per position of the
   * last list, where its job is now (-1: gone or to sort in).
   */
  private read(
    classOf: (job: PendingJob) => PriorityClass,
    previous: PendingTiers | undefined,
  ): { positions: number[]; kept: Int32Array | undefined } {
    // Locals, not fields, in the loop: it runs 100,000 times a cycle.
    const { jobs, queueId, classId, waitingSince, hasNominated, priority, submittedAt } = this;
    const { agedBefore, classTiers } = this;
    const diff = previous && new ListDiff(previous.jobs);
    const kept = previous && columnPool.take(Int32Array, previous.jobs.length).fill(-1);
    const last = previous ?? this;
    const [lastQueue, lastClass, lastWaiting, lastNominated, lastPriority, lastSubmitted] = [
      last.queueId,
      last.classId,
      last.waitingSince,
      last.hasNominated,
      last.priority,
      last.submittedAt,
    ];
    const lastAged = last.agedBefore;
    // First where each job was (pointer comparisons only), then the columns: two tight loops.
    const from = columnPool.take(Int32Array, jobs.length);
    if (diff) for (let p = 0; p < jobs.length; p++) from[p] = diff.find(jobs[p]!);
    else from.fill(-1);
    // The columns, copied, in a loop that reads no job object (the objects' shapes vary, and a
    // shape the compiled loop had not met sent the whole loop back to the interpreter): the
    // jobs not found are read in a loop of their own.
    const positions: number[] = [];
    for (let p = 0; p < jobs.length; p++) {
      const q = from[p]!;
      if (q < 0) {
        positions.push(p);
        continue;
      }
      queueId[p] = lastQueue[q]!;
      const c = (classId[p] = lastClass[q]!);
      const since = (waitingSince[p] = lastWaiting[q]!);
      hasNominated[p] = lastNominated[q]!;
      priority[p] = lastPriority[q]!;
      submittedAt[p] = lastSubmitted[q]!;
      // Its tier then and now (classTiers only grows: the last cycle's classes read the same).
      const aged = since < agedBefore;
      if (aged === since < lastAged || classTiers[c] === AGED_TIER) kept![q] = p;
      else positions.push(p);
    }
    for (let i = 0; i < positions.length; i++)
      if (from[positions[i]!]! < 0) this.learn(positions[i]!, classOf);
    let unordered = this.unordered;
    const nominated = this.nominated;
    for (let p = 0; p < jobs.length; p++) {
      if (hasNominated[p] === 1) nominated.push(jobs[p]!);
      const tier = waitingSince[p]! < agedBefore ? AGED_TIER : classTiers[classId[p]!]!;
      if (tier !== tier) unordered = true;
    }
    this.unordered = unordered;
    columnPool.give(from);
    return { positions, kept };
  }

  private learn(p: number, classOf: (job: PendingJob) => PriorityClass): void {
    const job = this.jobs[p]!;
    this.queueId[p] = this.queues.of(job.queue);
    const c = this.classes.of(job.priorityClass);
    if (c === this.classTiers.length) this.classTiers.push(classOf(job).priority);
    this.classId[p] = c;
    this.waitingSince[p] = waitingSinceOf(job);
    this.hasNominated[p] = (job.nominatedNodeIds?.length ?? 0) > 0 ? 1 : 0;
    this.priority[p] = job.priority;
    this.submittedAt[p] = job.submittedAt;
    if (Number.isNaN(job.priority) || Number.isNaN(job.submittedAt)) this.unordered = true;
  }

  /**
   * Every job sorted in afresh, as the order did before it kept anything: tiers as first seen
   * in the list, each sorted stably, then the tiers of a queue by `b.tier - a.tier`.
   */
  private splitFromScratch(): void {
    const { jobs } = this;
    const byQueue = new Map<number, { tier: number; positions: number[] }[]>();
    for (let p = 0; p < jobs.length; p++) {
      const queue = this.queueId[p]!;
      const tier = this.tierAt(p);
      let list = byQueue.get(queue);
      if (!list) byQueue.set(queue, (list = []));
      let same: { tier: number; positions: number[] } | undefined;
      for (let t = 0; t < list.length && !same; t++)
        if (sameTier(list[t]!.tier, tier)) same = list[t];
      if (same) same.positions.push(p);
      else list.push({ tier, positions: [p] });
    }
    for (const [queue, list] of byQueue) {
      // The positions sorted by their jobs: the same stable sort, the same comparisons.
      for (const t of list) t.positions.sort((a, b) => byPriorityThenAge(jobs[a]!, jobs[b]!));
      this.byQueue.set(
        this.queues.names[queue]!,
        list
          .sort((a, b) => b.tier - a.tier)
          .map((t) => ({ tier: t.tier, positions: Int32Array.from(t.positions), pending: jobs })),
      );
    }
  }

  /**
   * The last cycle's groups with the jobs still there in the same tier (still in order), and
   * the jobs to sort in, sorted and merged in. Every figure compared is a number here (no NaN):
   * the order is total, so the tiers are those a full sort gives.
   */
  private split(fresh: readonly number[], kept: Int32Array | undefined, previous?: PendingTiers) {
    const groups = new Map<number, Map<number, Group>>();
    const groupOf = (queue: number, tier: number): Group => {
      let byTier = groups.get(queue);
      if (!byTier) groups.set(queue, (byTier = new Map<number, Group>()));
      let group = byTier.get(tier);
      if (!group) byTier.set(tier, (group = { queue, tier, positions: EMPTY }));
      return group;
    };
    for (const last of previous?.groups ?? []) {
      const positions = columnPool.take(Int32Array, last.positions.length);
      let n = 0;
      for (let k = 0; k < last.positions.length; k++) {
        const p = kept![last.positions[k]!]!;
        if (p >= 0) positions[n++] = p;
      }
      if (n > 0) groupOf(last.queue, last.tier).positions = positions.subarray(0, n);
      else columnPool.give(positions);
    }
    const incoming = new Map<Group, number[]>();
    for (const p of fresh) {
      const group = groupOf(this.queueId[p]!, this.tierAt(p));
      const list = incoming.get(group);
      if (list) list.push(p);
      else incoming.set(group, [p]);
    }
    for (const [group, positions] of incoming) {
      const kept = group.positions;
      group.positions = this.merge(kept, positions);
      if (kept !== EMPTY) columnPool.give(kept);
    }
    for (const [queue, byTier] of groups) {
      const list = [...byTier.values()].sort((a, b) => b.tier - a.tier);
      this.groups.push(...list);
      this.byQueue.set(
        this.queues.names[queue]!,
        list.map((group) => ({ tier: group.tier, positions: group.positions, pending: this.jobs })),
      );
    }
  }

  /**
   * Positions in order: by the jobs' order (byPriorityThenAge: priority and submit time read
   * from the columns, the ids only on a tie), then by place in the list (a stable sort's).
   */
  private readonly before = (a: number, b: number): number => {
    const { priority, submittedAt } = this;
    const byPriority = priority[b]! - priority[a]!;
    // As `||` reads them: 0 and NaN (two equal infinities) go on to the next figure.
    if (byPriority > 0 || byPriority < 0) return byPriority;
    const byAge = submittedAt[a]! - submittedAt[b]!;
    if (byAge > 0 || byAge < 0) return byAge;
    const [x, y] = [this.jobs[a]!.id, this.jobs[b]!.id];
    return x < y ? -1 : x > y ? 1 : a - b;
  };

  /**
   * Sorts `fresh` and merges it into `sorted` (in order already). A few fresh positions (the
   * usual cycle) find their places by binary search, so only the jobs next to those places are
   * read; many (after a burst of arrivals) are merged in one walk.
   */
  private merge(sorted: Int32Array, fresh: number[]): Int32Array {
    fresh.sort(this.before);
    const merged = columnPool.take(Int32Array, sorted.length + fresh.length);
    const search = fresh.length * 16 < sorted.length;
    let from = 0;
    let n = 0;
    for (const p of fresh) {
      const to = search ? this.placeOf(p, sorted, from) : this.walk(p, sorted, from);
      merged.set(sorted.subarray(from, to), n);
      n += to - from;
      merged[n++] = p;
      from = to;
    }
    merged.set(sorted.subarray(from), n);
    return merged;
  }

  /** The first place at or after `from` whose position goes after `p` (binary search). */
  private placeOf(p: number, sorted: Int32Array, from: number): number {
    let [lo, hi] = [from, sorted.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(sorted[mid]!, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The same place, walking from `from`. */
  private walk(p: number, sorted: Int32Array, from: number): number {
    let at = from;
    while (at < sorted.length && this.before(sorted[at]!, p) < 0) at++;
    return at;
  }
}

const EMPTY = new Int32Array(0);
