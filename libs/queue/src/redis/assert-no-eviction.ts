/**
 * Gantry refuses to start on a Redis that may evict keys: an evicted queue entry or pending-index
 * member is a job that silently stops moving until the reconciler notices, and an evicted fencing
 * counter would hand out tokens again. Only `noeviction` is safe.
 */
import { FailedPreconditionError } from '@gantry/domain';
import { redactUrl } from './create-redis';

/** Redis is configured in a way Gantry cannot run on; the message says how to fix it. */
export class RedisConfigError extends FailedPreconditionError {}

/** What assertNoEviction needs of a client (an ioredis `Redis` fits). */
export interface InfoReader {
  info(section: 'memory'): Promise<string>;
  config(subcommand: 'GET', parameter: string): Promise<unknown>;
}

/**
 * Reads `maxmemory_policy` from `INFO memory` (managed Redis often disables CONFIG), falling back
 * to `CONFIG GET`, and throws RedisConfigError unless it is `noeviction`.
 */
export async function assertNoEviction(redis: InfoReader, urlForMessages: string): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy === 'noeviction') return;
  const url = redactUrl(urlForMessages);
  const found = policy === undefined ? 'could not be read' : `is "${policy}"`;
  throw new RedisConfigError(
    `Redis at ${url}: maxmemory-policy ${found}, but Gantry needs "noeviction": its dispatch ` +
      `queues, pending index and leader fencing counter must never be evicted, or jobs stall and ` +
      `fencing breaks. Fix it with \`redis-cli -u ${url} CONFIG SET maxmemory-policy noeviction\`, ` +
      `and keep it across restarts with \`maxmemory-policy noeviction\` in redis.conf (on a ` +
      `managed Redis, set the eviction policy to noeviction in its parameter group or settings).`,
  );
}

export async function readEvictionPolicy(redis: InfoReader): Promise<string | undefined> {
  const info = await redis.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  if (match) return match[1];
  try {
    const reply = await redis.config('GET', 'maxmemory-policy');
    if (Array.isArray(reply) && typeof reply[1] === 'string') return reply[1];
  } catch {
    // CONFIG is disabled on this Redis; the error below says the policy could not be read.
  }
  return undefined;
}
