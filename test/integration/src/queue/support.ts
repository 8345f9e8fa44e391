/**
 * Helpers for the queue integration tests: a unique key prefix per test, waiting for a condition
 * with a deadline, and removing every key under a prefix afterwards.
 */
import { randomUUID } from 'node:crypto';
import { loadTestConfig } from '@gantry/config';
import { createRedis, type QueueLogger } from '@gantry/queue';
import { type Redis } from 'ioredis';

export const testConfig = loadTestConfig();

/** A prefix no other test (or cluster) uses: `t-<name>-<random>`. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomUUID().slice(0, 8)}`;
}

/** A client of the shared test Redis; quit it (or pass it to `cleanUp`). */
export function sharedRedis(): Redis {
  return createRedis(testConfig.redisUrl, { connectionName: 'gantry-queue-test' });
}

/** Deletes every key under `prefix` and quits `redis`. */
export async function cleanUp(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A logger that keeps what it was told, for assertions and for failure messages. */
export function recordingLogger(): QueueLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (fields: object, message: string) => {
    const err = (fields as { err?: unknown }).err;
    lines.push(`${level}: ${message}${err instanceof Error ? ` (${err.message})` : ''}`);
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}
