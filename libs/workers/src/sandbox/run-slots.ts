/**
 * A counting semaphore: at most `limit` holders at once, the others wait in arrival order.
 * `null` means no limit.
 */
export class RunSlots {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number | null) {}

  /** Resolves once a slot is held; the caller must `release()` it exactly once. */
  async acquire(): Promise<void> {
    if (this.limit === null || this.held < this.limit) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.held--;
  }

  /** Runs `work` in a slot, released however `work` ends. */
  async with<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Holders now, and callers waiting for a slot. */
  get usage(): { readonly running: number; readonly waiting: number } {
    return { running: this.held, waiting: this.waiting.length };
  }
}
