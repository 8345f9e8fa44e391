/**
 * InProcessStepCache: a StepCache in one process's memory. Identical calls in flight collapse
 * into one, and finished values are kept for the cache's lifetime. It serves `cache: false`
 * jobs (one per job: the job's own repeats still run once) and tests; the shared cache across
 * jobs is the Redis one (libs/queue), reached through the control plane.
 */
import type { StepCache, StepSource } from '../ports';

export class InProcessStepCache implements StepCache {
  private readonly values = new Map<string, unknown>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  /** Values stored so far. */
  get size(): number {
    return this.values.size;
  }

  async getOrCompute<T>(
    hash: string,
    compute: () => Promise<T>,
  ): Promise<{ readonly value: T; readonly source: StepSource }> {
    if (this.values.has(hash)) return { value: this.values.get(hash) as T, source: 'cache' };
    const running = this.inflight.get(hash);
    if (running) {
      try {
        return { value: (await running) as T, source: 'inflight' };
      } catch {
        return this.getOrCompute(hash, compute); // the owner failed: compute for ourselves
      }
    }
    const computing = (async () => compute())();
    this.inflight.set(hash, computing);
    try {
      const value = await computing;
      this.values.set(hash, value);
      return { value, source: 'computed' };
    } finally {
      if (this.inflight.get(hash) === computing) this.inflight.delete(hash);
    }
  }
}
