/**
 * Redis connections: one place decides the ioredis options Gantry runs with, for our own
 * clients and for the connections BullMQ opens.
 */
import { type RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type QueueLogger } from '../logger';

export interface CreateRedisOptions {
  /** Shown in `CLIENT LIST`, e.g. `gantry:replica-1:lease`. */
  readonly connectionName?: string;
  /**
   * Tries of one command across reconnects before it fails. Default null: wait for Redis to come
   * back (what BullMQ needs). Callers that must fail fast (a lease renewal) pass a number.
   */
  readonly maxRetriesPerRequest?: number | null;
  /** Where connection errors go; without one ioredis prints them to stderr. */
  readonly logger?: QueueLogger;
}

/** Longest pause between reconnection tries, in milliseconds. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Reconnect delay after `times` failed tries: 100 ms doubling up to 5 s, plus up to 20% jitter
 * so replicas that lost Redis together do not reconnect in lockstep. Never gives up.
 */
export function reconnectDelayMs(times: number, random: () => number = Math.random): number {
  const base = Math.min(100 * 2 ** Math.max(0, Math.min(times - 1, 16)), MAX_RECONNECT_DELAY_MS);
  return Math.round(base * (1 + 0.2 * random()));
}

/** The ioredis options for `url` (without the url itself). */
export function redisOptions(options: CreateRedisOptions = {}): RedisOptions {
  return {
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? null,
    enableReadyCheck: true,
    retryStrategy: (times) => reconnectDelayMs(times),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
}

/**
 * Connection options for BullMQ: it opens (and on close quits) its own connections with these.
 * BullMQ forces maxRetriesPerRequest to null on its blocking connections anyway.
 */
export function bullConnection(url: string, options: CreateRedisOptions = {}): BullRedisOptions {
  return {
    url,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => reconnectDelayMs(times),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
}

/** An ioredis client for `url` with Gantry's options. The caller owns it (`quit()` it). */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redis = new Redis(url, redisOptions(options));
  const logger = options.logger;
  if (logger) {
    redis.on('error', (error: Error) =>
      logger.warn({ err: error, redis: redactUrl(url) }, 'Redis connection error; reconnecting'),
    );
  }
  return redis;
}

/** The URL with any password replaced by `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
}
