/**
 * What the running jobs hold, gathered in one pass per cycle in the order the jobs are listed:
 * each allocation on a listed node (k = 0, 1, ...) with its job and node, grouped by node, the
 * GPU indices held on each node, and per queue and model the GPUs held (for quotas). Per-allocation work walks k in order, and per-node work reads
 * the grouping: walking the jobs node by node through their objects cost a cache miss per
 * allocation, which made the index the costliest step of a cycle on a large cluster.
 */
import type { NodeAllocation, RunningJob } from '../../model';
import { NOT_A_VICTIM, victimKind, victimLoss, type VictimRules } from './victim-facts';

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

export class Holdings {
  /** Per allocation k: its job, the allocation itself and the position of its node. */
  readonly jobs: RunningJob[];
  readonly allocations: NodeAllocation[];
  readonly nodeOf: Int32Array;
  /** Per allocation k, for releases: its job's GPU model and expected end, and its GPUs. */
  readonly models: string[];
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
  /** The allocations of jobs told to stop. */
  readonly stopping: number[] = [];
  /** GPUs held per queue and model by the jobs not told to stop (on any node), for quotas. */
  readonly heldByQueue = new Map<string, Map<string, number>>();
  /** The classes of the jobs not told to stop. */
  readonly runningClasses = new Set<string>();
  /** Per node, bit i set when GPU index i (0 <= i < 31) is held; other indices in `heldOther`. */
  private readonly heldBits: Int32Array;
  private readonly heldOther = new Map<number, Set<number>>();

  /** Allocations gathered so far. */
  private k = 0;

  /** `positionOf` names the node an allocation's id stands for (undefined: not listed). */
  constructor(
    running: readonly RunningJob[],
    positionOf: ReadonlyMap<string, number>,
    nodeCount: number,
    rules: VictimRules,
  ) {
    let total = 0;
    for (let j = 0; j < running.length; j++) total += running[j]!.allocations.length;
    this.jobs = new Array<RunningJob>(total);
    this.allocations = new Array<NodeAllocation>(total);
    this.models = new Array<string>(total);
    this.nodeOf = new Int32Array(total);
    this.sizes = new Int32Array(total);
    this.heldOn = new Int32Array(total);
    this.ends = new Float64Array(total);
    this.victimKinds = new Uint8Array(total);
    this.victimTiers = new Float64Array(total);
    this.victimLosses = new Float64Array(total);
    this.start = new Int32Array(nodeCount + 1);
    this.heldBits = new Int32Array(nodeCount);
    // One call per job: an inner loop here (over a job's one or two allocations) was compiled on
    // its own and left thousands of times a cycle, each time back to the interpreter.
    for (let j = 0; j < running.length; j++) this.add(running[j]!, positionOf, rules);
    const { k, start } = this;
    this.jobs.length = this.allocations.length = this.models.length = k; // unlisted nodes' out
    this.nodeOf = this.nodeOf.subarray(0, k);
    this.ends = this.ends.subarray(0, k);
    this.sizes = this.sizes.subarray(0, k);
    this.heldOn = this.heldOn.subarray(0, k);
    this.victimKinds = this.victimKinds.subarray(0, k);
    this.victimTiers = this.victimTiers.subarray(0, k);
    this.victimLosses = this.victimLosses.subarray(0, k);
    for (let n = 0; n < nodeCount; n++) start[n + 1]! += start[n]!;
    const next = start.slice(0, nodeCount);
    this.order = new Int32Array(k);
    for (let i = 0; i < k; i++) this.order[next[this.nodeOf[i]!]!++] = i;
  }

  /**
   * Gathers a job's allocations on listed nodes. Indexed loops: the snapshot's lists come in
   * several kinds of array, and for-of over them allocated an iterator per allocation.
   */
  private add(job: RunningJob, positionOf: ReadonlyMap<string, number>, rules: VictimRules): void {
    if (!job.stopping) this.count(job);
    // Rated here, while the job is at hand (a pass of its own cost a cache miss per job).
    const cls = rules.classes.get(job.priorityClass);
    const kind = victimKind(job, cls, rules);
    const lost =
      kind === NOT_A_VICTIM
        ? 0
        : victimLoss(job, cls!, gpusHeld(job), rules.now, rules.opportunisticBelow);
    for (let a = 0; a < job.allocations.length; a++) {
      const allocation = job.allocations[a]!;
      const n = positionOf.get(allocation.nodeId);
      if (n === undefined) continue;
      const k = this.k++;
      if (job.stopping) this.stopping.push(k);
      this.jobs[k] = job;
      this.allocations[k] = allocation;
      this.models[k] = job.gpuModel;
      this.ends[k] = job.expectedEndAt ?? Number.POSITIVE_INFINITY;
      this.sizes[k] = allocation.gpuIndices.length;
      this.heldOn[k] =
        job.allocations.length === 1 ? this.sizes[k] : gpusOn(job, allocation.nodeId);
      this.victimKinds[k] = kind;
      this.victimTiers[k] = kind === NOT_A_VICTIM ? 0 : cls!.priority;
      this.victimLosses[k] = lost;
      this.nodeOf[k] = n;
      this.start[n + 1]!++;
      const indices = allocation.gpuIndices;
      for (let i = 0; i < indices.length; i++) this.hold(n, indices[i]!);
    }
  }

  /** Adds a job not told to stop to the quota sums and running classes. */
  private count(job: RunningJob): void {
    let byModel = this.heldByQueue.get(job.queue);
    if (!byModel) this.heldByQueue.set(job.queue, (byModel = new Map<string, number>()));
    byModel.set(job.gpuModel, (byModel.get(job.gpuModel) ?? 0) + gpusHeld(job));
    this.runningClasses.add(job.priorityClass);
  }

  private hold(n: number, index: number): void {
    if (Number.isInteger(index) && index >= 0 && index < 31) this.heldBits[n]! |= 1 << index;
    else {
      let other = this.heldOther.get(n);
      if (!other) this.heldOther.set(n, (other = new Set()));
      other.add(index);
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

  /** The running jobs on node n, once per allocation there, in the snapshot's order. */
  jobsOn(n: number): RunningJob[] {
    const jobs: RunningJob[] = [];
    for (let i = this.start[n]!; i < this.start[n + 1]!; i++) jobs.push(this.jobs[this.order[i]!]!);
    return jobs;
  }
}
