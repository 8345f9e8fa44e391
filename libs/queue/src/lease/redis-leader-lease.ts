/**
 * The scheduler's leader lease on Redis: a key with a TTL naming the holder, and a fencing token
 * from a counter that never expires. Every write the leader makes to PostgreSQL carries its token,
 * so a deposed leader that still thinks it leads is rejected there.
 */
import { InternalError, ValidationError } from '@gantry/domain';
import { type Redis } from 'ioredis';
import { type LeaderLease } from '../api';
import { keyspace } from '../redis/keyspace';
import { acquireScript, releaseScript, renewScript } from './lease-scripts';

export interface RedisLeaderLeaseOptions {
  /** A client the caller owns (and closes). */
  readonly redis: Redis;
  /** Key prefix, e.g. `gantry`. */
  readonly prefix: string;
  /** This replica's name (GANTRY_REPLICA_ID), stored in the lease. */
  readonly replicaId: string;
  /** Lease lifetime without renewal, in milliseconds. */
  readonly ttlMs: number;
  /** Which lease, default `scheduler`. */
  readonly name?: string;
  /**
   * The highest token known outside Redis (e.g. the largest fence PostgreSQL has seen), so tokens
   * keep increasing even if Redis lost its counter. Default: none (0).
   */
  readonly tokenFloor?: () => Promise<number>;
}

export class RedisLeaderLease implements LeaderLease {
  private readonly redis: Redis;
  private readonly leaseKey: string;
  private readonly fenceKey: string;
  private readonly replicaId: string;
  private readonly ttlMs: number;
  private readonly tokenFloor: () => Promise<number>;

  constructor(options: RedisLeaderLeaseOptions) {
    if (options.replicaId.length === 0)
      throw ValidationError.field('replicaId', 'must not be empty');
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 1) {
      throw ValidationError.field(
        'ttlMs',
        `must be a positive integer of milliseconds, got ${options.ttlMs}`,
      );
    }
    const keys = keyspace(options.prefix);
    const name = options.name ?? 'scheduler';
    this.redis = options.redis;
    this.leaseKey = keys.lease(name);
    this.fenceKey = keys.leaseFence(name);
    this.replicaId = options.replicaId;
    this.ttlMs = options.ttlMs;
    this.tokenFloor = options.tokenFloor ?? (async () => 0);
  }

  async tryAcquire(): Promise<number | undefined> {
    const floor = await this.tokenFloor();
    if (!Number.isSafeInteger(floor) || floor < 0) {
      throw new InternalError(
        `tokenFloor returned ${floor}; it must be a non-negative safe integer`,
      );
    }
    const args = [this.replicaId, this.ttlMs, String(floor)];
    const token = await acquireScript.run(this.redis, [this.leaseKey, this.fenceKey], args);
    return typeof token === 'number' ? token : undefined;
  }

  async renew(token: number): Promise<boolean> {
    const args = [this.valueFor(token), this.ttlMs];
    return (await renewScript.run(this.redis, [this.leaseKey], args)) === 1;
  }

  async release(token: number): Promise<void> {
    await releaseScript.run(this.redis, [this.leaseKey], [this.valueFor(token)]);
  }

  async holder(): Promise<{ replicaId: string; token: number } | undefined> {
    const value = await this.redis.get(this.leaseKey);
    if (value === null) return undefined;
    return parseLeaseValue(value, this.leaseKey);
  }

  private valueFor(token: number): string {
    return `${this.replicaId}:${token}`;
  }
}

/** Splits `<replicaId>:<token>` at the last colon (replica ids may contain colons). */
export function parseLeaseValue(value: string, key: string): { replicaId: string; token: number } {
  const at = value.lastIndexOf(':');
  const token = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(token) || token < 1) {
    throw new InternalError(
      `Lease key ${key} holds ${JSON.stringify(value)}, not "<replicaId>:<token>"; ` +
        `something other than Gantry wrote it: delete the key and the lease is taken afresh.`,
    );
  }
  return { replicaId: value.slice(0, at), token };
}
