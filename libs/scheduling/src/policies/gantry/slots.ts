/**
 * The earliest slot a blocked job could start in, for reservations and for judging whether a
 * job would wait long: `nodes` nodes with `gpus` each of a model, within one fabric domain, on
 * nodes no reservation holds. A cycle asks this for the same few shapes again and again while
 * only a few domains change in between (a placement, a hold), so each domain's answer is kept
 * per shape and recomputed only when one of its nodes changed (NodeState.changes).
 */
import { cycleColumns } from './column-pool';
import type { NodeIndex, NodeState } from './node-index';
import type { ReservationBook, ReservedSlot } from './reservations';

/** Per node (by position): its earliest time for one model and GPU count, and its change count then. */
interface NodeTimes {
  readonly at: Float64Array;
  readonly changes: Float64Array;
}

/**
 * Sorts nodes by `at`, then position: an insertion sort (a domain has a few nodes), the same
 * order as the sort with a comparator it stands for, which NaN times (no order) still get.
 */
function byTimeThenPosition(states: NodeState[], at: (state: NodeState) => number): void {
  if (states.some((s) => Number.isNaN(at(s)))) {
    states.sort((a, b) => at(a) - at(b) || a.position - b.position);
    return;
  }
  for (let i = 1; i < states.length; i++) {
    const item = states[i]!;
    const t = at(item);
    let j = i - 1;
    for (; j >= 0; j--) {
      const other = at(states[j]!);
      if (other < t || (other === t && states[j]!.position < item.position)) break;
      states[j + 1] = states[j]!;
    }
    states[j + 1] = item;
  }
}

/** Per domain (by index): its last answer for one shape. */
interface DomainAnswers {
  /** The sum of the domain's nodes' change counts when `at` was computed; -1: never. */
  readonly changes: Float64Array;
  /** When the domain's earliest slot starts; Infinity when it has none. */
  readonly at: Float64Array;
}

export class SlotFinder {
  private readonly domains: (readonly NodeState[])[];
  /** Per shape (`model|nodes|gpus`), per domain in index order: its last answer. */
  private readonly answers = new Map<string, DomainAnswers>();
  /** Per `model|gpus`: each node's earliest time (shared by the shapes of that size). */
  private readonly times = new Map<string, NodeTimes>();
  private readonly nodeCount: number;
  /** The times `slotAt` sorts (a domain's nodes at most). */
  private readonly found: number[] = [];

  constructor(
    private readonly index: NodeIndex,
    private readonly book: ReservationBook,
    private readonly now: number,
  ) {
    this.domains = [...index.domains.values()];
    this.nodeCount = index.all.length;
  }

  /**
   * The earliest slot over all domains (the first domain in index order among equals);
   * undefined if none. A single node free now ends the search.
   */
  earliestSlot(model: string, nodes: number, gpus: number): ReservedSlot | undefined {
    const key = `${model}|${nodes}|${gpus}`;
    let answers = this.answers.get(key);
    if (!answers) {
      const count = this.domains.length;
      const changes = cycleColumns.take(Float64Array, count).fill(-1);
      answers = { changes, at: cycleColumns.take(Float64Array, count) };
      this.answers.set(key, answers);
    }
    const times = this.timesFor(model, gpus);
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let d = 0; d < this.domains.length; d++) {
      const members = this.domains[d]!;
      let changes = 0;
      for (let i = 0; i < members.length; i++) changes += members[i]!.changes;
      // A node id listed twice shares its holds with its twin, which `changes` cannot follow.
      if (answers.changes[d] !== changes || !this.index.uniqueIds) {
        answers.at[d] = this.slotAt(members, model, nodes, gpus, times);
        answers.changes[d] = changes;
      }
      const at = answers.at[d]!;
      if (!Number.isFinite(at)) continue;
      if (best < 0 || at < bestAt) [best, bestAt] = [d, at];
      if (nodes === 1 && bestAt === this.now) break;
    }
    return best < 0 ? undefined : this.slotIn(this.domains[best]!, model, nodes, gpus, times);
  }

  private timesFor(model: string, gpus: number): NodeTimes {
    const key = `${model}|${gpus}`;
    let times = this.times.get(key);
    if (!times) {
      const changes = cycleColumns.take(Float64Array, this.nodeCount).fill(-1);
      times = { at: cycleColumns.take(Float64Array, this.nodeCount), changes };
      this.times.set(key, times);
    }
    return times;
  }

  /** When the node can hold `gpus` of the model, from `times` while the node is unchanged. */
  private earliest(state: NodeState, model: string, gpus: number, times: NodeTimes): number {
    const n = state.position;
    if (times.changes[n] !== state.changes) {
      times.at[n] = state.earliestFree(model, gpus, this.now);
      times.changes[n] = state.changes;
    }
    return times.at[n]!;
  }

  /**
   * When one domain's earliest slot starts (Infinity: none), as `slotIn` gives it, without the
   * slot itself (~2,000 domain answers a cycle): the `nodes`-th earliest time of its unheld nodes
   * that could hold `gpus`, from a list of numbers sorted in place (which node comes first among
   * equal times does not change the time); a NaN time, which has no order, goes through `slotIn`.
   */
  private slotAt(
    members: readonly NodeState[],
    model: string,
    nodes: number,
    gpus: number,
    times: NodeTimes,
  ): number {
    const found = this.found;
    let count = 0;
    for (let i = 0; i < members.length; i++) {
      const state = members[i]!;
      if (this.book.isHeld(state) || state.totalOf(model) < gpus) continue;
      const at = this.earliest(state, model, gpus, times);
      if (Number.isNaN(at))
        return this.slotIn(members, model, nodes, gpus, times)?.at ?? Number.POSITIVE_INFINITY;
      let j = count++ - 1;
      for (; j >= 0 && found[j]! > at; j--) found[j + 1] = found[j]!;
      found[j + 1] = at;
    }
    if (count < nodes) return Number.POSITIVE_INFINITY;
    const at = found[nodes - 1]!;
    return Number.isFinite(at) ? at : Number.POSITIVE_INFINITY;
  }

  /** One domain's earliest slot: its unheld nodes by when they can hold `gpus`, then position. */
  private slotIn(
    members: readonly NodeState[],
    model: string,
    nodes: number,
    gpus: number,
    times: NodeTimes,
  ): ReservedSlot | undefined {
    const candidates: NodeState[] = [];
    for (const state of members)
      if (!this.book.isHeld(state) && state.totalOf(model) >= gpus) candidates.push(state);
    if (candidates.length < nodes) return undefined;
    const at = (state: NodeState): number => this.earliest(state, model, gpus, times);
    byTimeThenPosition(candidates, at);
    const slotAt = at(candidates[nodes - 1]!);
    return Number.isFinite(slotAt) ? { at: slotAt, nodes: candidates.slice(0, nodes) } : undefined;
  }
}
