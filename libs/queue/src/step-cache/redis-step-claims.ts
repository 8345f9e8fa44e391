/**
 * The cluster's step cache on Redis (ADR 9): identical engine calls, named by their content hash,
 * are computed once across jobs and agents. `claim` answers with the stored value, or the right
 * to compute it (a token with a TTL), or "wait" while another holder computes; `complete` stores
 * the value for the cache TTL; `abandon` gives the claim up so a waiter takes over. The agent
 * reaches it through the control plane (AgentGatewayService.ClaimStep); the waiting loop is
 * libs/workloads' ClaimingStepCache.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '@gantry/domain';
import { type Redis } from 'ioredis';
import { normalizePrefix } from '../redis/keyspace';
import { abandonScript, claimScript, completeScript } from './step-cache-scripts';

export type StepClaimOutcome =
  | { readonly kind: 'value'; readonly json: string }
  | { readonly kind: 'claim'; readonly token: string; readonly ttlMs: number }
  | { readonly kind: 'wait'; readonly retryAfterMs: number };

export interface RedisStepClaimsOptions {
  /** A client the caller owns (and closes). */
  readonly redis: Redis;
  readonly prefix: string;
  /** How long a stored value is kept (GANTRY_STEP_CACHE_TTL_SECONDS). */
  readonly valueTtlMs: number;
  /** How long a claim lasts without a value: a dead holder delays its waiters this long. */
  readonly claimTtlMs: number;
  /** The largest value stored, in bytes; a larger one is not cached (the caller still has it). */
  readonly maxValueBytes?: number;
}

const HASH = /^[0-9a-f]{64}$/;

export class RedisStepClaims {
  private readonly prefix: string;
  private readonly maxValueBytes: number;

  constructor(private readonly o: RedisStepClaimsOptions) {
    this.prefix = normalizePrefix(o.prefix);
    this.maxValueBytes = o.maxValueBytes ?? 4 * 1024 * 1024;
    for (const [field, value] of [
      ['valueTtlMs', o.valueTtlMs],
      ['claimTtlMs', o.claimTtlMs],
    ] as const)
      if (!Number.isInteger(value) || value < 1)
        throw ValidationError.field(
          field,
          `must be a positive integer of milliseconds, got ${value}`,
        );
  }

  async claim(hash: string): Promise<StepClaimOutcome> {
    const token = randomUUID();
    const [kind, detail] = (await claimScript.run(this.o.redis, this.keys(hash), [
      token,
      this.o.claimTtlMs,
    ])) as [string, string];
    if (kind === 'value') return { kind, json: detail };
    if (kind === 'wait') return { kind, retryAfterMs: Number(detail) };
    return { kind: 'claim', token, ttlMs: this.o.claimTtlMs };
  }

  /** Stores the value (unless it is too large to cache) and releases the claim. */
  async complete(hash: string, token: string, json: string): Promise<void> {
    const [valueKey, claimKey] = this.keys(hash);
    if (Buffer.byteLength(json) > this.maxValueBytes) return this.abandon(hash, token);
    await completeScript.run(this.o.redis, [valueKey, claimKey], [token, json, this.o.valueTtlMs]);
  }

  async abandon(hash: string, token: string): Promise<void> {
    await abandonScript.run(this.o.redis, [this.keys(hash)[1]], [token]);
  }

  private keys(hash: string): [string, string] {
    if (!HASH.test(hash)) throw ValidationError.field('hash', 'must be 64 lower-case hex digits');
    return [`${this.prefix}:step:{${hash}}:value`, `${this.prefix}:step:{${hash}}:claim`];
  }
}
