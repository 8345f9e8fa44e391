import { MAX_RECONNECT_DELAY_MS, reconnectDelayMs, redactUrl, redisOptions } from './create-redis';

describe('Redis connection options', () => {
  it('sets what BullMQ needs', () => {
    const options = redisOptions();
    expect(options.maxRetriesPerRequest).toBeNull();
    expect(options.enableReadyCheck).toBe(true);
    expect(redisOptions({ maxRetriesPerRequest: 2 }).maxRetriesPerRequest).toBe(2);
  });

  it('backs off exponentially from 100 ms up to the cap, with at most 20% jitter', () => {
    expect([1, 2, 3, 4].map((t) => reconnectDelayMs(t, () => 0))).toEqual([100, 200, 400, 800]);
    expect(reconnectDelayMs(50, () => 0)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(reconnectDelayMs(50, () => 0.999)).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS * 1.2);
    expect(reconnectDelayMs(1, () => 0.5)).toBe(110);
  });

  it('hides passwords in URLs it shows', () => {
    expect(redactUrl('redis://:s3cret@redis.internal:6380/2')).toBe(
      'redis://:***@redis.internal:6380/2',
    );
    expect(redactUrl('rediss://user:pw@host')).toBe('rediss://user:***@host');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
