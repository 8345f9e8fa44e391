import type { Timers, TimerHandle } from '../ports';

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

/** Timers that fire only when a test advances time: for tests of time-driven behaviour. */
export class ManualTimers implements Timers {
  private now = 0;
  private order = 0;
  private readonly pending = new Map<TimerHandle, Pending>();

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = { id: ++this.order };
    this.pending.set(handle, { at: this.now + Math.max(0, ms), order: this.order, callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle);
  }

  /** Moves time forward, firing due timers in order (and timers they set that fall due). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.pending.entries()]
        .filter(([, p]) => p.at <= until)
        .sort(([, a], [, b]) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
    }
    this.now = until;
  }

  get elapsed(): number {
    return this.now;
  }

  get size(): number {
    return this.pending.size;
  }
}
