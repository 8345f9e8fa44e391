import { setTimeout as delay } from 'node:timers/promises';

/** Waits; resolves early (never rejects) when `signal` aborts. Injected so tests skip waiting. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  delay(ms, undefined, { signal }).then(
    () => undefined,
    () => undefined,
  );

/**
 * A wake-up call for a loop that waits for work: `notify()` before `wait()` is not lost (the
 * next `wait()` returns at once), and any number of notifications before a `wait()` count once.
 */
export class Signal {
  private pending = false;
  private waiters: (() => void)[] = [];

  notify(): void {
    if (this.waiters.length === 0) this.pending = true;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
