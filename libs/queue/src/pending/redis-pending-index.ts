/**
 * The pending index: a sorted set `<prefix>:pending` of job ids scored by pendingScore (priority
 * descending, then submit time, then id). The scheduler reads its heads every cycle; PostgreSQL
 * stays the truth and the reconciler re-adds members Redis lost.
 */
import { ValidationError } from '@gantry/domain';
import { type Redis } from 'ioredis';
import { type PendingEntry, type PendingIndex } from '../api';
import { keyspace } from '../redis/keyspace';
import { pendingScore } from './pending-score';

/** Members per ZADD/ZREM call, so a big batch never builds one huge command. */
const CHUNK = 1000;

export interface RedisPendingIndexOptions {
  /** A client the caller owns (and closes). */
  readonly redis: Redis;
  /** Key prefix, e.g. `gantry`. */
  readonly prefix: string;
}

export class RedisPendingIndex implements PendingIndex {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(options: RedisPendingIndexOptions) {
    this.redis = options.redis;
    this.key = keyspace(options.prefix).pending;
  }

  /** ZADD NX: entries already present keep their place. Validates every entry before writing. */
  async add(entries: readonly PendingEntry[]): Promise<number> {
    const args = entries.map((entry) => {
      if (typeof entry.jobId !== 'string' || entry.jobId.length === 0) {
        throw ValidationError.field('jobId', 'must be a non-empty string');
      }
      return [pendingScore(entry), entry.jobId] as const;
    });
    let added = 0;
    for (let i = 0; i < args.length; i += CHUNK) {
      const chunk = args.slice(i, i + CHUNK).flat();
      added += await this.redis.zadd(this.key, 'NX', ...chunk);
    }
    return added;
  }

  async remove(jobIds: readonly string[]): Promise<void> {
    for (let i = 0; i < jobIds.length; i += CHUNK) {
      await this.redis.zrem(this.key, ...jobIds.slice(i, i + CHUNK));
    }
  }

  async heads(limit: number): Promise<string[]> {
    if (!Number.isInteger(limit) || limit < 0) {
      throw ValidationError.field('limit', `must be a non-negative integer, got ${limit}`);
    }
    if (limit === 0) return [];
    return this.redis.zrange(this.key, 0, String(limit - 1));
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.key);
  }
}
