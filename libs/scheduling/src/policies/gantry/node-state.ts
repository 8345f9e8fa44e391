/**
 * One node as a cycle sees it: free GPU indices, totals and GPUs being freed, per model, and the
 * expected releases of the jobs on it (for reservations). A node has one GPU model or a few, so
 * the per-model figures are short arrays beside `models` rather than Maps: a cycle builds ten
 * thousand of these, and a Map each per figure made the index the costliest step of a cycle.
 */
import type { SnapshotNode } from '../../model';

export interface Release {
  readonly at: number;
  readonly gpus: number;
  readonly model: string;
}

export class NodeState {
  /** The node's GPU models, in the order its GPU list first names them. */
  readonly models: string[] = [];
  /** Per entry of `models`: how many GPUs of it the node has, and which are free (ascending). */
  readonly totals: number[] = [];
  readonly frees: number[][] = [];
  readonly releases: Release[] = [];
  /**
   * Counts the changes to what the node offers (GPUs taken, releases added, reservation holds):
   * memos within a cycle compare it to tell whether to recompute (it only ever grows).
   */
  changes = 0;
  /** GPUs of jobs told to stop, per model (any model a job names, not only the node's). */
  private stopping: Map<string, number> | undefined;
  /** Releases per model, earliest first, built when first asked for (reset by a new release). */
  private sorted: Map<string, Release[]> | undefined;

  constructor(
    readonly node: SnapshotNode,
    readonly domain: string,
    readonly position: number,
  ) {}

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

  /** The expected releases of a model's GPUs, earliest first (cached until the next release). */
  releasesOf(model: string): readonly Release[] {
    this.sorted ??= new Map();
    let list = this.sorted.get(model);
    if (!list) {
      list = this.releases.filter((r) => r.model === model).sort((a, b) => a.at - b.at);
      this.sorted.set(model, list);
    }
    return list;
  }

  addRelease(release: Release): void {
    this.changes++;
    this.releases.push(release);
    this.sorted?.delete(release.model);
  }
}
