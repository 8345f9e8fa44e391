/**
 * The engine's future events (completions, preemption stops, wake-ups), earliest first; events
 * at the same time come out in the order they were pushed, so a replay is deterministic.
 * A binary heap over parallel arrays: no object per event.
 */
export const EventKind = { Complete: 0, Stop: 1, Wake: 2 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface SimEvent {
  readonly at: number;
  readonly kind: EventKind;
  readonly job: number;
  /** The job's attempt the event belongs to; stale ones are dropped. */
  readonly attempt: number;
}

export class EventHeap {
  private at: number[] = [];
  private seq: number[] = [];
  private payload: SimEvent[] = [];
  private counter = 0;

  get size(): number {
    return this.at.length;
  }

  /** Time of the earliest event, or Infinity. */
  peekTime(): number {
    return this.at.length > 0 ? this.at[0]! : Number.POSITIVE_INFINITY;
  }

  push(event: SimEvent): void {
    this.at.push(event.at);
    this.seq.push(this.counter++);
    this.payload.push(event);
    let i = this.at.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): SimEvent | undefined {
    if (this.at.length === 0) return undefined;
    const top = this.payload[0]!;
    const last = this.at.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.seq.pop();
    this.payload.pop();
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.at.length && this.less(left, smallest)) smallest = left;
      if (right < this.at.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.at[a]! < this.at[b]! || (this.at[a] === this.at[b] && this.seq[a]! < this.seq[b]!);
  }

  private swap(a: number, b: number): void {
    const at = this.at[a]!;
    this.at[a] = this.at[b]!;
    this.at[b] = at;
    const seq = this.seq[a]!;
    this.seq[a] = this.seq[b]!;
    this.seq[b] = seq;
    const payload = this.payload[a]!;
    this.payload[a] = this.payload[b]!;
    this.payload[b] = payload;
  }
}
