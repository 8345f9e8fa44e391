/**
 * Finds the items of a new list in the list of the last cycle, walking both in order: the
 * snapshots the policy gets one after the other list mostly the same objects in the same order
 * (a few gone, a few new at the end, a few replaced), so the next item is almost always at or a
 * little past the last one found. Past a long run of gone items (misses in a row while much of
 * the last list is still ahead), an index of the last list by object (built once, only then)
 * finds the way back. Only ever a speed-up: an item it does not
 * find is worked out afresh, and what it finds is the same object.
 */

/** How far past the last item found to look before counting a miss. */
const WINDOW = 32;
/** Misses in a row after which the index by object is built (when something was found). */
const LOST_AFTER = 8;
/** Misses with nothing found at all after which the lists are taken to share nothing. */
const GIVE_UP_AFTER = 64;

export class ListDiff<T extends object> {
  private next = 0;
  private found = 0;
  private misses = 0;
  private missesInRow = 0;
  private byItem: Map<T, number> | undefined;

  constructor(private readonly last: readonly T[]) {}

  /**
   * Where the item is in the last list, past every item found so far; -1 if not there. Small,
   * so that it is inlined into the loops calling it 100,000 times a cycle: the next item of the
   * last list is the usual answer.
   */
  find(item: T): number {
    const q = this.next;
    if (
      q < this.last.length &&
      this.last[q] === item &&
      (this.found > 0 || this.misses < GIVE_UP_AFTER)
    )
      return this.hit(q);
    return this.search(item);
  }

  private search(item: T): number {
    const { last } = this;
    if (this.found === 0 && this.misses >= GIVE_UP_AFTER) return -1;
    const end = Math.min(last.length, this.next + WINDOW);
    for (let q = this.next; q < end; q++) if (last[q] === item) return this.hit(q);
    // Lost: misses in a row with much of the last list still ahead (new items at the end of the
    // list miss too, but with the last list behind them).
    if (this.missesInRow >= LOST_AFTER && this.found > 0 && last.length - this.next > WINDOW) {
      if (!this.byItem) {
        this.byItem = new Map<T, number>();
        for (let q = 0; q < last.length; q++) this.byItem.set(last[q]!, q);
      }
      const q = this.byItem.get(item);
      if (q !== undefined && q >= this.next) return this.hit(q);
    }
    this.misses++;
    this.missesInRow++;
    return -1;
  }

  private hit(q: number): number {
    this.next = q + 1;
    this.found++;
    this.missesInRow = 0;
    return q;
  }
}
