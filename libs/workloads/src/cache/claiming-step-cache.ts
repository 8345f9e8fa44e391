import type { StepCache, StepSource } from '../ports';

/** What a shared cache answers to a claim (RedisStepClaims, or the control plane's ClaimStep). */
export type StepClaimAnswer =
  | { readonly kind: 'value'; readonly json: string }
  | { readonly kind: 'claim'; readonly token: string }
  | { readonly kind: 'wait'; readonly retryAfterMs: number };

/** A shared cache of call values, claimed by hash (see ADR 9). */
export interface StepClaims {
  claim(hash: string): Promise<StepClaimAnswer>;
  complete(hash: string, token: string, json: string): Promise<void>;
  abandon(hash: string, token: string): Promise<void>;
}

export interface ClaimingStepCacheOptions {
  readonly claims: StepClaims;
  /** Waits between claims while an identical call is in flight elsewhere. */
  readonly sleep: (ms: number) => Promise<void>;
  /** First and longest pause between claims while waiting (it doubles), ms. */
  readonly minPollMs?: number;
  readonly maxPollMs?: number;
  /** Told when the shared cache fails; the call is then computed without it. */
  readonly onCacheError?: (error: unknown, hash: string) => void;
}

/**
 * A StepCache over shared claims: the stored value (source `cache`), or the value an identical
 * call in flight elsewhere stores while this one waits (source `inflight`), or this caller's own
 * computation (source `computed`), stored for the others. A failed computation gives its claim
 * up, so a waiter computes instead. The cache is an optimisation: when it fails, the call is
 * computed anyway and the failure reported to `onCacheError`.
 */
export class ClaimingStepCache implements StepCache {
  private readonly minPollMs: number;
  private readonly maxPollMs: number;

  constructor(private readonly o: ClaimingStepCacheOptions) {
    this.minPollMs = o.minPollMs ?? 25;
    this.maxPollMs = o.maxPollMs ?? 1000;
  }

  async getOrCompute<T>(
    hash: string,
    compute: () => Promise<T>,
  ): Promise<{ value: T; source: StepSource }> {
    let pause = this.minPollMs;
    let waited = false;
    for (;;) {
      const answer = await this.claim(hash);
      if (answer === null) return { value: await compute(), source: 'computed' };
      if (answer.kind === 'value')
        return { value: JSON.parse(answer.json) as T, source: waited ? 'inflight' : 'cache' };
      if (answer.kind === 'wait') {
        waited = true;
        await this.o.sleep(Math.max(1, Math.min(pause, answer.retryAfterMs)));
        pause = Math.min(pause * 2, this.maxPollMs);
        continue;
      }
      let value: T;
      try {
        value = await compute();
      } catch (error) {
        await this.o.claims.abandon(hash, answer.token).catch((e) => this.report(e, hash));
        throw error;
      }
      await this.o.claims
        .complete(hash, answer.token, JSON.stringify(value))
        .catch((e) => this.report(e, hash));
      return { value, source: 'computed' };
    }
  }

  private async claim(hash: string): Promise<StepClaimAnswer | null> {
    try {
      return await this.o.claims.claim(hash);
    } catch (error) {
      this.report(error, hash);
      return null;
    }
  }

  private report(error: unknown, hash: string): void {
    this.o.onCacheError?.(error, hash);
  }
}
