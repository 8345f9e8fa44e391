/**
 * What the running jobs of a snapshot hold that does not depend on the clock, per allocation on
 * a listed node (k = 0, 1, ... in the jobs' order): its job, node, GPUs and held indices, its
 * job's model, expected end, class, queue and the figures victim ratings start from. Holdings
 * reads these every cycle and works out only the clock's part (victim-facts.ts).
 *
 * Kept from one cycle to the next: the live scheduler and the simulator give the policy
 * consecutive snapshots whose running lists are mostly the same job objects in the same order
 * (a few ended, a few started at the end). A snapshot is immutable, so a job object seen in the
 * last cycle has the facts worked out then; `build` walks the new list beside the last one
 * (list-diff.ts: pointer comparisons) and copies the facts of each job it finds there, working
 * out only the others from their objects. What it copies is
 * exactly what it would work out: the same list gives the same facts, from the last cycle or
 * from scratch (running-facts.spec.ts checks this over random sequences of snapshots). Facts
 * are reused only for the same node positions, classes and preemption cap.
 */
import type { PriorityClass, RunningJob } from '../../model';
import { columnPool } from './column-pool';
import { ListDiff } from './list-diff';
import { Names } from './names';

/** What facts depend on besides the jobs (a change drops what the last cycle worked out). */
export interface FactRules {
  readonly classList: readonly PriorityClass[];
  readonly classes: ReadonlyMap<string, PriorityClass>;
  readonly maxPerJob: number;
}

/** A (queue, GPU model) pair as a number, for the quota sums. */
class Pairs {
  private readonly byQueue = new Map<string, Map<string, number>>();
  readonly queues: string[] = [];
  readonly models: string[] = [];

  of(queue: string, model: string): number {
    let byModel = this.byQueue.get(queue);
    if (!byModel) this.byQueue.set(queue, (byModel = new Map<string, number>()));
    let id = byModel.get(model);
    if (id === undefined) {
      id = this.queues.push(queue) - 1;
      this.models.push(model);
      byModel.set(model, id);
    }
    return id;
  }
}

/** Growable typed columns while a list is gathered (the short one goes back to the pool). */
function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const kind = array.constructor as Int32ArrayConstructor | Float64ArrayConstructor;
  const next = columnPool.take(kind, Math.max(size, 2 * array.length)) as T;
  next.set(array);
  columnPool.give(array);
  return next;
}

export class RunningFacts {
  readonly jobs: readonly RunningJob[];
  /** Per job j: its allocations on listed nodes are k = first[j] .. first[j + 1] - 1. */
  first: Int32Array;
  /** Per job: told to stop; may be a victim at all (a preemptible class, not stopping). */
  stopping: Uint8Array;
  mayBeVictim: Uint8Array;
  /** Per job: its class's priority (0: unknown class), interned class name, (queue, model). */
  priority: Float64Array;
  classId: Int32Array;
  pair: Int32Array;
  /** Per job: GPUs held on all its nodes; what priority preemption and lost work read. */
  gpus: Int32Array;
  minRunEnd: Float64Array;
  protectedUntil: Float64Array;
  underCap: Uint8Array;
  workSince: Float64Array;
  /** Per allocation k. */
  readonly jobOf: RunningJob[];
  jobIndex: Int32Array;
  readonly models: string[];
  nodeOf: Int32Array;
  ends: Float64Array;
  sizes: Int32Array;
  heldOn: Int32Array;
  /** Per allocation: bit i set for GPU index i held (0 <= i < 31); other indices apart. */
  heldBits: Int32Array;
  readonly heldOther = new Map<number, number[]>();
  /** Allocations gathered so far. */
  count = 0;

  private constructor(
    running: readonly RunningJob[],
    readonly positionOf: ReadonlyMap<string, number>,
    readonly rules: FactRules,
    readonly classNames: Names,
    readonly pairs: Pairs,
    allocations: number,
  ) {
    const n = running.length;
    this.jobs = running;
    this.first = columnPool.take(Int32Array, n + 1);
    this.stopping = columnPool.take(Uint8Array, n);
    this.mayBeVictim = columnPool.take(Uint8Array, n);
    this.priority = columnPool.take(Float64Array, n);
    this.classId = columnPool.take(Int32Array, n);
    this.pair = columnPool.take(Int32Array, n);
    this.gpus = columnPool.take(Int32Array, n);
    this.minRunEnd = columnPool.take(Float64Array, n);
    this.protectedUntil = columnPool.take(Float64Array, n);
    this.underCap = columnPool.take(Uint8Array, n);
    this.workSince = columnPool.take(Float64Array, n);
    this.jobOf = new Array<RunningJob>(allocations);
    this.jobIndex = columnPool.take(Int32Array, allocations);
    this.models = new Array<string>(allocations);
    this.nodeOf = columnPool.take(Int32Array, allocations);
    this.ends = columnPool.take(Float64Array, allocations);
    this.sizes = columnPool.take(Int32Array, allocations);
    this.heldOn = columnPool.take(Int32Array, allocations);
    this.heldBits = columnPool.take(Int32Array, allocations);
  }

  /**
   * The facts of a running list; `previous` (the last cycle's, or undefined) lends those of the
   * jobs it has, when it was worked out for the same node positions and rules.
   */
  static build(
    running: readonly RunningJob[],
    positionOf: ReadonlyMap<string, number>,
    rules: FactRules,
    previous?: RunningFacts,
  ): RunningFacts {
    const reuse =
      previous !== undefined &&
      !previous.released &&
      previous.positionOf === positionOf &&
      previous.rules.classList === rules.classList &&
      previous.rules.maxPerJob === rules.maxPerJob;
    const last = reuse ? previous : undefined;
    const facts = new RunningFacts(
      running,
      positionOf,
      rules,
      last?.classNames ?? new Names(),
      last?.pairs ?? new Pairs(),
      // A first guess (the columns grow if it is short): as many per job as the last list had.
      Math.ceil(running.length * (last ? last.count / Math.max(1, last.jobs.length) : 1) * 1.05) +
        64,
    );
    const diff = new ListDiff(last?.jobs ?? []);
    const found = columnPool.take(Int32Array, running.length);
    for (let j = 0; j < running.length; j++) found[j] = diff.find(running[j]!);
    // Runs of jobs that follow each other in both lists are copied column by column.
    let j = 0;
    while (j < running.length) {
      const p = found[j]!;
      if (p < 0) {
        facts.add(j, running[j]!);
        j++;
        continue;
      }
      let end = j + 1;
      while (end < running.length && found[end] === p + (end - j)) end++;
      facts.copy(j, last!, p, end - j);
      j = end;
    }
    facts.first[running.length] = facts.count;
    facts.trim();
    columnPool.give(found);
    // The last facts lent what they had: their columns serve the next cycle's (column-pool.ts).
    last?.release();
    return facts;
  }

  /** Whether its columns went back to the pool (it then lends nothing). */
  private released = false;

  private release(): void {
    this.released = true;
    columnPool.give(this.first, this.stopping, this.mayBeVictim, this.priority, this.classId);
    columnPool.give(this.pair, this.gpus, this.minRunEnd, this.protectedUntil, this.underCap);
    columnPool.give(this.workSince, this.jobIndex, this.nodeOf, this.ends, this.sizes);
    columnPool.give(this.heldOn, this.heldBits);
  }

  /** Room for `more` allocations past those gathered. */
  private reserve(more: number): void {
    const size = this.count + more;
    if (size <= this.jobIndex.length) return;
    this.jobIndex = grow(this.jobIndex, size);
    this.nodeOf = grow(this.nodeOf, size);
    this.ends = grow(this.ends, size);
    this.sizes = grow(this.sizes, size);
    this.heldOn = grow(this.heldOn, size);
    this.heldBits = grow(this.heldBits, size);
  }

  /** Jobs j .. j + length - 1 are jobs p .. p + length - 1 of `last`: their facts as then. */
  private copy(j: number, last: RunningFacts, p: number, length: number): void {
    const jobs = (column: Int32Array | Float64Array | Uint8Array, from: typeof column): void =>
      copyRun(column, j, from, p, length);
    jobs(this.stopping, last.stopping);
    jobs(this.mayBeVictim, last.mayBeVictim);
    jobs(this.priority, last.priority);
    jobs(this.classId, last.classId);
    jobs(this.pair, last.pair);
    jobs(this.gpus, last.gpus);
    jobs(this.minRunEnd, last.minRunEnd);
    jobs(this.protectedUntil, last.protectedUntil);
    jobs(this.underCap, last.underCap);
    jobs(this.workSince, last.workSince);
    const from = last.first[p]!;
    const to = last.first[p + length]!;
    const at = this.count;
    for (let i = 0; i < length; i++) this.first[j + i] = last.first[p + i]! - from + at;
    this.reserve(to - from);
    const allocations = (column: Int32Array | Float64Array, source: typeof column): void =>
      copyRun(column, at, source, from, to - from);
    allocations(this.nodeOf, last.nodeOf);
    allocations(this.ends, last.ends);
    allocations(this.sizes, last.sizes);
    allocations(this.heldOn, last.heldOn);
    allocations(this.heldBits, last.heldBits);
    for (let a = from; a < to; a++) {
      const k = at + a - from;
      this.jobOf[k] = last.jobOf[a]!;
      this.models[k] = last.models[a]!;
      this.jobIndex[k] = last.jobIndex[a]! - p + j;
    }
    // GPU indices past 30 are rare: no look-up per allocation while there are none.
    if (last.heldOther.size > 0)
      for (let a = from; a < to; a++) {
        const other = last.heldOther.get(a);
        if (other) this.heldOther.set(at + a - from, other);
      }
    this.count += to - from;
  }

  /**
   * Job j's facts from its object. Indexed loops: the snapshot's lists come in several kinds of
   * array, and for-of over them allocated an iterator per allocation.
   */
  private add(j: number, job: RunningJob): void {
    const cls = this.rules.classes.get(job.priorityClass);
    const gpus = gpusHeld(job);
    this.stopping[j] = job.stopping ? 1 : 0;
    this.mayBeVictim[j] = !job.stopping && cls?.preemptible ? 1 : 0;
    this.priority[j] = cls ? cls.priority : 0;
    this.classId[j] = this.classNames.of(job.priorityClass);
    this.pair[j] = this.pairs.of(job.queue, job.gpuModel);
    this.gpus[j] = gpus;
    // As victim-facts.ts works them out (the same expressions: the same figures).
    this.minRunEnd[j] = cls ? job.startedAt + cls.minRuntimeSeconds * 1000 : 0;
    this.protectedUntil[j] = job.protectedUntil;
    this.underCap[j] = (job.preemptions ?? 0) < this.rules.maxPerJob ? 1 : 0;
    this.workSince[j] = job.lastCheckpointAt ?? job.startedAt;
    this.first[j] = this.count;
    const { allocations } = job;
    this.reserve(allocations.length);
    for (let a = 0; a < allocations.length; a++) {
      const allocation = allocations[a]!;
      const n = this.positionOf.get(allocation.nodeId);
      if (n === undefined) continue;
      const k = this.count++;
      this.jobOf[k] = job;
      this.jobIndex[k] = j;
      this.models[k] = job.gpuModel;
      this.nodeOf[k] = n;
      this.ends[k] = job.expectedEndAt ?? Number.POSITIVE_INFINITY;
      const size = allocation.gpuIndices.length;
      this.sizes[k] = size;
      this.heldOn[k] = allocations.length === 1 ? size : gpusOn(job, allocation.nodeId);
      let bits = 0;
      const indices = allocation.gpuIndices;
      for (let i = 0; i < indices.length; i++) {
        const index = indices[i]!;
        if (Number.isInteger(index) && index >= 0 && index < 31) bits |= 1 << index;
        else {
          let other = this.heldOther.get(k);
          if (!other) this.heldOther.set(k, (other = []));
          other.push(index);
        }
      }
      this.heldBits[k] = bits;
    }
  }

  /** The columns cut to the allocations gathered. */
  private trim(): void {
    const k = this.count;
    this.jobOf.length = this.models.length = k;
    this.jobIndex = this.jobIndex.subarray(0, k);
    this.nodeOf = this.nodeOf.subarray(0, k);
    this.ends = this.ends.subarray(0, k);
    this.sizes = this.sizes.subarray(0, k);
    this.heldOn = this.heldOn.subarray(0, k);
    this.heldBits = this.heldBits.subarray(0, k);
  }
}

/**
 * Copies `length` items of `source` from `start` into `column` at `at`: a short run item by
 * item (a view per run and column, for ~500 runs a cycle, was ~0.8 MB of objects), a long one
 * through a view.
 */
function copyRun(
  column: Int32Array | Float64Array | Uint8Array,
  at: number,
  source: Int32Array | Float64Array | Uint8Array,
  start: number,
  length: number,
): void {
  if (length > 256) column.set(source.subarray(start, start + length), at);
  else for (let i = 0; i < length; i++) column[at + i] = source[start + i]!;
}

/** GPUs a running job holds over all its nodes. */
export function gpusHeld(job: RunningJob): number {
  let gpus = 0;
  const { allocations } = job;
  for (let a = 0; a < allocations.length; a++) gpus += allocations[a]!.gpuIndices.length;
  return gpus;
}

/** GPUs a running job holds on one node. */
export function gpusOn(job: RunningJob, nodeId: string): number {
  let gpus = 0;
  const { allocations } = job;
  for (let a = 0; a < allocations.length; a++)
    if (allocations[a]!.nodeId === nodeId) gpus += allocations[a]!.gpuIndices.length;
  return gpus;
}
