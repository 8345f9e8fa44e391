/**
 * Timers that run only when told, on a ManualClock: for tests of code that takes injected Timers.
 * `advance(ms)` runs the callbacks that fall due in time order, moving the clock to each one, and
 * lets the promises they started settle before the next.
 */
import { type ManualClock } from '@gantry/domain';
import { type Timers } from './timers';

export class ManualTimers implements Timers {
  private next = 0;
  private readonly tasks = new Map<number, { due: number; run: () => void }>();
  constructor(private readonly clock: ManualClock) {}

  setTimeout(run: () => void, ms: number): unknown {
    this.tasks.set(++this.next, { due: this.clock.now() + ms, run });
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await settle();
    for (;;) {
      const due = [...this.tasks]
        .filter(([, t]) => t.due <= end)
        .sort((a, b) => a[1].due - b[1].due || a[0] - b[0]);
      const first = due[0];
      if (!first) break;
      this.tasks.delete(first[0]);
      this.clock.set(Math.max(this.clock.now(), first[1].due));
      first[1].run();
      await settle();
    }
    this.clock.set(end);
  }
}

/** Waits until every promise callback queued so far (and those they queue) has run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
