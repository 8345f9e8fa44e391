/**
 * Where a single-node job of a settled class (not opportunistic) goes while opportunistic jobs
 * (interruptible leases) hold GPUs of its model: the tightest node counting their GPUs as free,
 * that is best fit over what settled work leaves. So internal work packs where it would go if
 * no lease were there, and whole nodes stay clear of it for gangs; leases fill the rest and give
 * their GPUs back after their notice. Without this, every GPU a lease gives back is a free GPU
 * on some lease-filled node, the tightest fit for the next internal job, and internal work
 * spreads over every node until no gang can start. On the node chosen the job starts at once
 * if the GPUs are free, else takes the leases' (PreemptStep.preemptOn); ties go to a node that
 * has them free. Worked out per model when first asked in a cycle, kept current as it places.
 */
import type { PendingJob, PriorityClass } from '../../model';
import { cycleColumns } from './column-pool';
import type { NodeIndex, NodeState } from './node-index';
import type { ReservationBook } from './reservations';
import { NOT_A_VICTIM } from './victim-facts';

interface ModelView {
  /** Per node position: GPUs of the model no settled job holds (free or opportunistic). */
  readonly open: Int32Array;
  /** Nodes by open GPUs: `[n]` those with exactly n, in node order. */
  readonly buckets: Set<NodeState>[];
}

export class SettledFit {
  private readonly views = new Map<string, ModelView | null>();

  constructor(
    private readonly index: NodeIndex,
    private readonly book: ReservationBook,
    private readonly classes: ReadonlyMap<string, PriorityClass>,
  ) {}

  /** Whether opportunistic jobs hold GPUs of the model (else plain best fit is the same). */
  applies(model: string): boolean {
    return this.view(model) !== null;
  }

  /**
   * The node for the job on the model; undefined when opportunistic jobs hold none of the model
   * (plain best fit decides) or no node would have room even without them.
   */
  fit(job: PendingJob, model: string, endAt: number): NodeState | undefined {
    const view = this.view(model);
    if (!view) return undefined;
    const gpus = job.shape.gpusPerNode;
    for (let open = gpus; open < view.buckets.length; open++) {
      let first: NodeState | undefined;
      for (const state of view.buckets[open]!) {
        if (!this.book.allows(state, model, gpus, endAt, job.id)) continue;
        if (state.freeCount(model) >= gpus) return state;
        first ??= state;
      }
      if (first) return first;
    }
    return undefined;
  }

  /** A settled job took (or was promised) `gpus` of the model on the node. */
  took(state: NodeState, model: string, gpus: number): void {
    const view = this.views.get(model);
    if (!view || !state.node.schedulable) return;
    const before = view.open[state.position]!;
    const after = Math.max(0, before - gpus);
    view.buckets[before]!.delete(state);
    view.buckets[after]!.add(state);
    view.open[state.position] = after;
  }

  private view(model: string): ModelView | null {
    let view = this.views.get(model);
    if (view === undefined) this.views.set(model, (view = this.build(model)));
    return view;
  }

  /** Null when no opportunistic job holds GPUs of the model. */
  private build(model: string): ModelView | null {
    const { order, start, models, sizes, jobs, victimKinds, victimTiers } = this.index.holdings;
    const ceiling = this.index.opportunisticBelow;
    // The usual case without a market: no running class is opportunistic, no pass over the jobs.
    let any = false;
    for (const name of this.index.holdings.runningClasses)
      any ||= (this.classes.get(name)?.priority ?? Number.POSITIVE_INFINITY) < ceiling;
    if (!any) return null;
    const open = cycleColumns.take(Int32Array, this.index.all.length);
    let opportunistic = false;
    let most = 0;
    const { domainList } = this.index;
    for (let d = 0; d < domainList.length; d++) {
      const members = domainList[d]!;
      for (let m = 0; m < members.length; m++) {
        const state = members[m]!;
        let settled = 0;
        for (let i = start[state.group]!; i < start[state.group + 1]!; i++) {
          const k = order[i]!;
          if (models[k] !== model || jobs[k]!.stopping) continue;
          if (victimKinds[k] !== NOT_A_VICTIM && victimTiers[k]! < ceiling) opportunistic = true;
          else settled += sizes[k]!;
        }
        open[state.position] = Math.max(0, state.totalOf(model) - settled);
        most = Math.max(most, open[state.position]!);
      }
    }
    if (!opportunistic) return null;
    const buckets = Array.from({ length: most + 1 }, () => new Set<NodeState>());
    for (let d = 0; d < domainList.length; d++) {
      const members = domainList[d]!;
      for (let m = 0; m < members.length; m++)
        if (members[m]!.totalOf(model) > 0) buckets[open[members[m]!.position]!]!.add(members[m]!);
    }
    return { open, buckets };
  }
}
