/**
 * A first-come, first-served async lock. PGlite is one backend session, so the PGlite dialect
 * lets one Kysely connection (one query, or one whole transaction) hold it at a time.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  get locked(): boolean {
    return this.held;
  }

  /** Waits for the lock; the returned function releases it (a second call does nothing). */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => released);
    await previous;
    this.held = true;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.held = false;
      release();
    };
  }
}
