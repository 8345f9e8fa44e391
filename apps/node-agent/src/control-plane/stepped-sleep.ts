import type { Sleep } from './sleeper';

/** One pending sleep of a SteppedSleep. */
export interface PendingSleep {
  readonly ms: number;
  /** Ends the sleep. */
  wake(): void;
}

/**
 * A Sleep for tests of retry loops: each call waits until the test takes it with `next()` and
 * wakes it, so a test steps a loop one delay at a time and sees every delay asked for. An
 * aborted sleep ends at once.
 */
export class SteppedSleep {
  readonly asked: number[] = [];
  private readonly pending: PendingSleep[] = [];
  private readonly waiters: ((sleep: PendingSleep) => void)[] = [];

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      this.asked.push(ms);
      if (signal?.aborted) return resolve();
      const entry: PendingSleep = { ms, wake: resolve };
      signal?.addEventListener('abort', () => resolve(), { once: true });
      const waiter = this.waiters.shift();
      if (waiter) waiter(entry);
      else this.pending.push(entry);
    });

  /** The next sleep the loop asks for (rejects after `timeoutMs` if none comes). */
  next(timeoutMs = 2000): Promise<PendingSleep> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no sleep asked for within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push((sleep) => {
        clearTimeout(timer);
        resolve(sleep);
      });
    });
  }
}
