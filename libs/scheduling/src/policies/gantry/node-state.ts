/**
 * One node as a cycle sees it: free GPU indices, totals and GPUs being freed, per model, and the
 * expected releases of the jobs on it (for reservations). A node has one GPU model or a few, so
 * the per-model figures are short arrays beside `models` rather than Maps: a cycle builds ten
 * thousand of these, and a Map each per figure made the index the costliest step of a cycle.
 */
import type { SnapshotGpu, SnapshotNode } from '../../model';
import type { Holdings } from './holdings';
import { releaseOrder, scratch } from './release-order';
import type { SharedLists } from './shared-lists';

export interface Release {
  readonly at: number;
  readonly gpus: number;
  readonly model: string;
}

export class NodeState {
  /** The node's GPU models, in the order its GPU list first names them. */
  models!: readonly string[];
  /** Per entry of `models`: how many GPUs of it the node has, and which are free (ascending). */
  totals!: readonly number[];
  frees!: number[][];
  /** Where the node is in the bucket of its free count (bucket.ts): for its first model... */
  private bucketAt = 0;
  /** ...and for any other, per entry of `models`. */
  private bucketsAt: number[] | undefined;
  /**
   * Counts the changes to what the node offers (GPUs taken, releases added, reservation holds):
   * memos within a cycle compare it to tell whether to recompute (it only ever grows).
   */
  changes = 0;
  /** GPUs of jobs told to stop, per model (any model a job names, not only the node's). */
  private stopping: Map<string, number> | undefined;
  /** Releases of jobs placed this cycle. */
  private added: Release[] | undefined;
  node!: SnapshotNode;
  domain!: string;
  position!: number;
  private holdings!: Holdings;
  /** Where `holdings` lists this node's jobs: the last node listed with its id. */
  group!: number;

  /**
   * The node as a cycle sees it, on a new object or on one of the last cycle (NodeIndex keeps
   * the states of a node list from cycle to cycle: ten thousand objects a cycle, alive all
   * through it, were most of what the collector had to move to its old space).
   */
  reset(
    node: SnapshotNode,
    domain: string,
    position: number,
    holdings: Holdings,
    group: number,
    lists: SharedLists,
  ): this {
    this.node = node;
    this.domain = domain;
    this.position = position;
    this.holdings = holdings;
    this.group = group;
    this.bucketAt = 0;
    this.bucketsAt = undefined;
    this.changes = 0;
    this.stopping = undefined;
    this.added = undefined;
    // A node of one model (the usual case) shares its lists of models and totals (shared-lists.ts).
    const { gpus } = node;
    let single = gpus.length > 0;
    for (let g = 1; g < gpus.length && single; g++) single = gpus[g]!.model === gpus[0]!.model;
    if (single) {
      // The last cycle's free list, emptied, when it had one model too.
      const free = this.frees?.length === 1 ? this.frees[0]! : [];
      free.length = 0;
      for (let g = 0; g < gpus.length; g++) this.addFree(free, gpus[g]!); // see Holdings
      const shared = lists.of(gpus[0]!.model, gpus.length);
      this.models = shared[0];
      this.totals = shared[1];
      if (this.frees?.length !== 1) this.frees = [free];
    } else {
      const models: string[] = [];
      const totals: number[] = [];
      this.frees = [];
      for (let g = 0; g < gpus.length; g++) {
        let slot = models.indexOf(gpus[g]!.model);
        if (slot < 0) {
          slot = models.push(gpus[g]!.model) - 1;
          totals.push(0);
          this.frees.push([]);
        }
        totals[slot]!++;
        this.addFree(this.frees[slot]!, gpus[g]!);
      }
      this.models = models;
      this.totals = totals;
    }
    // Indexed loops here and below: a cycle runs them for every node (see Holdings).
    for (let f = 0; f < this.frees.length; f++)
      if (!ascending(this.frees[f]!)) this.frees[f]!.sort((a, b) => a - b);
    return this;
  }

  private addFree(free: number[], gpu: SnapshotGpu): void {
    if (!this.holdings.isHeld(this.group, gpu.index)) free.push(gpu.index);
  }

  /** Where the node is in its bucket of a model. */
  bucketPlace(model: string): number {
    const slot = this.models.indexOf(model);
    return slot === 0 ? this.bucketAt : this.bucketsAt![slot]!;
  }

  movedInBucket(model: string, at: number): void {
    const slot = this.models.indexOf(model);
    if (slot === 0) this.bucketAt = at;
    else (this.bucketsAt ??= [])[slot] = at;
  }

  /** Free GPU indices of a model, ascending; undefined when the node has none of the model. */
  freeOf(model: string): number[] | undefined {
    const slot = this.models.indexOf(model);
    return slot < 0 ? undefined : this.frees[slot];
  }

  freeCount(model: string): number {
    const slot = this.models.indexOf(model);
    return slot < 0 ? 0 : this.frees[slot]!.length;
  }

  totalOf(model: string): number {
    const slot = this.models.indexOf(model);
    return slot < 0 ? 0 : this.totals[slot]!;
  }

  stoppingOf(model: string): number {
    return this.stopping?.get(model) ?? 0;
  }

  addStopping(model: string, gpus: number): void {
    this.changes++;
    this.stopping ??= new Map();
    this.stopping.set(model, (this.stopping.get(model) ?? 0) + gpus);
  }

  /**
   * GPUs of a model expected to be free at `time`: free now, plus what the running jobs (only
   * the last node listed with an id counts them) and the jobs placed this cycle release by then.
   */
  freeAt(model: string, time: number): number {
    let free = this.freeCount(model);
    const count = this.gatherReleases(model);
    for (let i = 0; i < count; i++) if (scratch.at[i]! <= time) free += scratch.gpus[i]!;
    return free;
  }

  /**
   * The earliest time the node has `gpus` free of the model (now if it has them now), going
   * through its releases earliest first; Infinity if never.
   */
  earliestFree(model: string, gpus: number, now: number): number {
    let free = this.freeCount(model);
    if (free >= gpus) return now;
    const count = this.gatherReleases(model);
    const order = releaseOrder(count);
    for (let r = 0; r < order.length; r++) {
      const i = order[r]!;
      free += scratch.gpus[i]!;
      if (free >= gpus) return Math.max(now, scratch.at[i]!);
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * Puts the releases of a model's GPUs into `scratch` (in the jobs' order, then this cycle's
   * placements) and returns how many there are: no objects per release, as a cycle asks this
   * of every node.
   */
  private gatherReleases(model: string): number {
    let count = 0;
    if (this.group === this.position) {
      const { models, ends, sizes, order, start } = this.holdings;
      for (let i = start[this.group]!; i < start[this.group + 1]!; i++) {
        const k = order[i]!;
        if (models[k] !== model) continue;
        scratch.at[count] = ends[k]!;
        scratch.gpus[count++] = sizes[k]!;
      }
    }
    const added = this.added ?? NONE;
    for (let r = 0; r < added.length; r++) {
      const release = added[r]!;
      if (release.model !== model) continue;
      scratch.at[count] = release.at;
      scratch.gpus[count++] = release.gpus;
    }
    return count;
  }

  addRelease(release: Release): void {
    this.changes++;
    (this.added ??= []).push(release);
  }
}

const NONE: readonly Release[] = [];

function ascending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}
