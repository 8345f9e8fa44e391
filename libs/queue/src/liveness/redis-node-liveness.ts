/**
 * Node liveness: a hash `<prefix>:nodes:beats` of nodeId -> last heartbeat (epoch ms), written by
 * whichever replica took the heartbeat and read by the leader to find silent nodes. PostgreSQL
 * keeps the node records; losing this hash only delays a lost-node verdict by one timeout.
 */
import { ValidationError } from '@gantry/domain';
import { type Redis } from 'ioredis';
import { type NodeLiveness } from '../api';
import { keyspace } from '../redis/keyspace';

export interface RedisNodeLivenessOptions {
  /** A client the caller owns (and closes). */
  readonly redis: Redis;
  /** Key prefix, e.g. `gantry`. */
  readonly prefix: string;
}

export class RedisNodeLiveness implements NodeLiveness {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(options: RedisNodeLivenessOptions) {
    this.redis = options.redis;
    this.key = keyspace(options.prefix).nodeBeats;
  }

  async beat(nodeId: string, at: number): Promise<void> {
    if (nodeId.length === 0) throw ValidationError.field('nodeId', 'must not be empty');
    if (!Number.isSafeInteger(at) || at < 0) {
      throw ValidationError.field('at', `must be epoch milliseconds, got ${at}`);
    }
    await this.redis.hset(this.key, nodeId, String(at));
  }

  async lastBeats(nodeIds: readonly string[]): Promise<Map<string, number>> {
    const beats = new Map<string, number>();
    if (nodeIds.length === 0) return beats;
    const values = await this.redis.hmget(this.key, ...nodeIds);
    nodeIds.forEach((nodeId, i) => {
      const value = values[i];
      if (value !== null && value !== undefined) beats.set(nodeId, Number(value));
    });
    return beats;
  }

  async forget(nodeId: string): Promise<void> {
    await this.redis.hdel(this.key, nodeId);
  }
}
