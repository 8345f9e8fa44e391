/**
 * What the running jobs hold, gathered in one pass per cycle in the order the jobs are listed:
 * each allocation on a listed node (k = 0, 1, ...) with its job and node, grouped by node, the
 * GPU indices held on each node, and per queue and model the GPUs held (for quotas). Per-allocation work walks k in order, and per-node work reads
 * the grouping: walking the jobs node by node through their objects cost a cache miss per
 * allocation, which made the index the costliest step of a cycle on a large cluster.
 */
import type { NodeAllocation, RunningJob } from '../../model';
import { lostWork, NOT_A_VICTIM, victimKind, type VictimRules } from './victim-facts';

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

  /** `positionOf` names the node an allocation's id stands for (undefined: not listed). */
  constructor(
    running: readonly RunningJob[],
    positionOf: ReadonlyMap<string, number>,
    nodeCount: number,
    rules: VictimRules,
  ) {
    let total = 0;
    for (let j = 0; j < running.length; j++) total += running[j]!.allocations.length;
    // Indexed loops below: the snapshot's lists come in several kinds of array, and for-of over
    // them allocated an iterator per allocation (megabytes a cycle, and the collections after).
    const jobs = new Array<RunningJob>(total);
    const allocations = new Array<NodeAllocation>(total);
    const nodeOf = new Int32Array(total);
    const models = new Array<string>(total);
    const ends = new Float64Array(total);
    const sizes = new Int32Array(total);
    const heldOn = new Int32Array(total);
    const [kinds, tiers, losses] = [
      new Uint8Array(total),
      new Float64Array(total),
      new Float64Array(total),
    ];
    const start = new Int32Array(nodeCount + 1);
    this.heldBits = new Int32Array(nodeCount);
    let k = 0;
    for (let j = 0; j < running.length; j++) {
      const job = running[j]!;
      if (!job.stopping) this.count(job);
      // Rated here, while the job is at hand (a pass of its own cost a cache miss per job).
      const cls = rules.classes.get(job.priorityClass);
      const kind = victimKind(job, cls, rules);
      const lost = kind === NOT_A_VICTIM ? 0 : lostWork(job, gpusHeld(job), rules.now);
      for (let a = 0; a < job.allocations.length; a++) {
        const allocation = job.allocations[a]!;
        const n = positionOf.get(allocation.nodeId);
        if (n === undefined) continue;
        if (job.stopping) this.stopping.push(k);
        jobs[k] = job;
        allocations[k] = allocation;
        models[k] = job.gpuModel;
        ends[k] = job.expectedEndAt ?? Number.POSITIVE_INFINITY;
        sizes[k] = allocation.gpuIndices.length;
        heldOn[k] = job.allocations.length === 1 ? sizes[k]! : gpusOn(job, allocation.nodeId);
        kinds[k] = kind;
        tiers[k] = kind === NOT_A_VICTIM ? 0 : cls!.priority;
        losses[k] = lost;
        nodeOf[k++] = n;
        start[n + 1]!++;
        const indices = allocation.gpuIndices;
        for (let i = 0; i < indices.length; i++) this.hold(n, indices[i]!);
      }
    }
    jobs.length = allocations.length = models.length = k; // allocations on unlisted nodes left out
    this.jobs = jobs;
    this.allocations = allocations;
    this.models = models;
    this.nodeOf = nodeOf.subarray(0, k);
    this.ends = ends.subarray(0, k);
    this.sizes = sizes.subarray(0, k);
    this.heldOn = heldOn.subarray(0, k);
    this.victimKinds = kinds.subarray(0, k);
    this.victimTiers = tiers.subarray(0, k);
    this.victimLosses = losses.subarray(0, k);
    for (let n = 0; n < nodeCount; n++) start[n + 1]! += start[n]!;
    const next = start.slice(0, nodeCount);
    this.order = new Int32Array(k);
    for (let i = 0; i < k; i++) this.order[next[nodeOf[i]!]!++] = i;
    this.start = start;
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
