import type { StepCache, StepSource } from '../ports';

/**
 * A StepCache in front of another (the agent's, in front of the cluster's cache behind the
 * control plane): identical calls in flight in this process collapse into one call of `inner`
 * before any of them reaches it, so N identical calls cost one claim, not N. The first caller
 * gets `inner`'s answer and source; the others get the same value with source `inflight`. If
 * the first caller's call rejects (its engine failed, its job was stopped), the rejection is
 * its own: each waiter then asks again for itself. Nothing is kept once a call has settled:
 * stored values are `inner`'s business (its lifetime, its TTL).
 */
export class CollapsingStepCache implements StepCache {
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly inner: StepCache) {}

  /** Calls in flight now (distinct hashes). */
  get pending(): number {
    return this.inflight.size;
  }

  async getOrCompute<T>(
    hash: string,
    compute: () => Promise<T>,
  ): Promise<{ readonly value: T; readonly source: StepSource }> {
    const running = this.inflight.get(hash);
    if (running) {
      try {
        return { value: (await running) as T, source: 'inflight' };
      } catch {
        return this.getOrCompute(hash, compute); // the first caller failed: ask for ourselves
      }
    }
    const asked = this.inner.getOrCompute(hash, compute);
    const value = asked.then((answer) => answer.value);
    value.catch(() => undefined); // a waiter's concern only if there is one
    this.inflight.set(hash, value);
    try {
      return await asked;
    } finally {
      if (this.inflight.get(hash) === value) this.inflight.delete(hash);
    }
  }
}
