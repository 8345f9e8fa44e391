import { createConnection } from 'node:net';
import { assertNoEviction, createRedis, RedisConfigError } from '@gantry/queue';
import { startRedisServer } from '@gantry/testing';
import { testConfig } from './support';

/** Whether anything accepts a TCP connection on the port. */
async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('assertNoEviction (real Redis)', () => {
  it('passes on a noeviction Redis', async () => {
    const server = await startRedisServer({ command: testConfig.redisServer });
    const redis = createRedis(server.url);
    try {
      await expect(assertNoEviction(redis, server.url)).resolves.toBeUndefined();
    } finally {
      await redis.quit();
      await server.stop();
    }
  });

  it('fails on an allkeys-lru Redis with the policy, the reason and the fix in the message', async () => {
    const server = await startRedisServer({
      command: testConfig.redisServer,
      args: ['--maxmemory-policy', 'allkeys-lru'],
    });
    const redis = createRedis(server.url);
    try {
      const check = assertNoEviction(redis, server.url);
      await expect(check).rejects.toBeInstanceOf(RedisConfigError);
      await expect(check).rejects.toThrow('maxmemory-policy is "allkeys-lru"');
      await expect(check).rejects.toThrow(
        `redis-cli -u ${server.url} CONFIG SET maxmemory-policy noeviction`,
      );
      await expect(check).rejects.toThrow('`maxmemory-policy noeviction` in redis.conf');
      // Following the advice fixes it.
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await expect(assertNoEviction(redis, server.url)).resolves.toBeUndefined();
    } finally {
      await redis.quit();
      await server.stop();
    }
  });
});

describe('startRedisServer', () => {
  it('starts servers on distinct free ports; stop() and kill() end them', async () => {
    const [a, b] = await Promise.all([
      startRedisServer({ command: testConfig.redisServer }),
      startRedisServer({ command: testConfig.redisServer }),
    ]);
    expect(a.port).not.toBe(b.port);
    expect(await listening(a.port)).toBe(true);
    await a.stop();
    await a.stop();
    expect(await listening(a.port)).toBe(false);
    await b.kill();
    expect(await listening(b.port)).toBe(false);
  });

  it('says what to install when the program is missing', async () => {
    await expect(startRedisServer({ command: 'gantry-no-such-redis-server' })).rejects.toThrow(
      'Install redis-server',
    );
  });
});
