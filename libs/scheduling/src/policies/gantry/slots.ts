/**
 * The earliest slot a blocked job could start in, for reservations and for judging whether a
 * job would wait long: `nodes` nodes with `gpus` each of a model, within one fabric domain, on
 * nodes no reservation holds. A cycle asks this for the same few shapes again and again while
 * only a few domains change in between (a placement, a hold), so each domain's answer is kept
 * per shape and recomputed only when one of its nodes changed (NodeState.changes).
 */
import type { NodeIndex, NodeState } from './node-index';
import type { ReservationBook, ReservedSlot } from './reservations';

/** The earliest time the node has `gpus` free of the model, or Infinity. */
function earliest(state: NodeState, model: string, gpus: number, now: number): number {
  let free = state.freeCount(model);
  if (free >= gpus) return now;
  for (const release of state.releasesOf(model)) {
    free += release.gpus;
    if (free >= gpus) return Math.max(now, release.at);
  }
  return Number.POSITIVE_INFINITY;
}

interface DomainAnswer {
  /** The sum of the domain's nodes' change counts when `at` was computed. */
  readonly changes: number;
  /** When the domain's earliest slot starts; Infinity when it has none. */
  readonly at: number;
}

export class SlotFinder {
  private readonly domains: (readonly NodeState[])[];
  /** Per shape (`model|nodes|gpus`), per domain in index order: its last answer. */
  private readonly answers = new Map<string, DomainAnswer[]>();

  constructor(
    private readonly index: NodeIndex,
    private readonly book: ReservationBook,
    private readonly now: number,
  ) {
    this.domains = [...index.domains.values()];
  }

  /**
   * The earliest slot over all domains (the first domain in index order among equals);
   * undefined if none. A single node free now ends the search.
   */
  earliestSlot(model: string, nodes: number, gpus: number): ReservedSlot | undefined {
    const key = `${model}|${nodes}|${gpus}`;
    let answers = this.answers.get(key);
    if (!answers) this.answers.set(key, (answers = []));
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let d = 0; d < this.domains.length; d++) {
      const members = this.domains[d]!;
      let changes = 0;
      for (const state of members) changes += state.changes;
      let answer = answers[d];
      // A node id listed twice shares its holds with its twin, which `changes` cannot follow.
      if (!answer || answer.changes !== changes || !this.index.uniqueIds) {
        const at = this.slotIn(members, model, nodes, gpus)?.at ?? Number.POSITIVE_INFINITY;
        answers[d] = answer = { changes, at };
      }
      if (!Number.isFinite(answer.at)) continue;
      if (best < 0 || answer.at < bestAt) [best, bestAt] = [d, answer.at];
      if (nodes === 1 && bestAt === this.now) break;
    }
    return best < 0 ? undefined : this.slotIn(this.domains[best]!, model, nodes, gpus);
  }

  /** One domain's earliest slot: its unheld nodes by when they can hold `gpus`, then position. */
  private slotIn(
    members: readonly NodeState[],
    model: string,
    nodes: number,
    gpus: number,
  ): ReservedSlot | undefined {
    const times: Array<[number, NodeState]> = [];
    for (const state of members) {
      if (this.book.isHeld(state) || state.totalOf(model) < gpus) continue;
      times.push([earliest(state, model, gpus, this.now), state]);
    }
    if (times.length < nodes) return undefined;
    times.sort((a, b) => a[0] - b[0] || a[1].position - b[1].position);
    const at = times[nodes - 1]![0];
    if (!Number.isFinite(at)) return undefined;
    return { at, nodes: times.slice(0, nodes).map(([, s]) => s) };
  }
}
