import { FailedPreconditionError } from '@gantry/domain';
import { assertNoEviction, type InfoReader, RedisConfigError } from './assert-no-eviction';

function reader(info: string, config?: () => Promise<unknown>): InfoReader {
  return {
    info: async () => info,
    config: config ?? (async () => Promise.reject(new Error("ERR unknown command 'CONFIG'"))),
  };
}

const memoryInfo = (policy: string): string =>
  `# Memory\r\nused_memory:1000\r\nmaxmemory:0\r\nmaxmemory_policy:${policy}\r\nallocator_frag_ratio:1.0\r\n`;

describe('assertNoEviction', () => {
  it('accepts noeviction', async () => {
    await expect(
      assertNoEviction(reader(memoryInfo('noeviction')), 'redis://h:6379'),
    ).resolves.toBeUndefined();
  });

  it('refuses another policy, saying what was found, why and how to fix it', async () => {
    const failure = assertNoEviction(reader(memoryInfo('volatile-lru')), 'redis://:pw@h:6379');
    await expect(failure).rejects.toBeInstanceOf(RedisConfigError);
    await expect(failure).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(failure).rejects.toThrow('maxmemory-policy is "volatile-lru"');
    await expect(failure).rejects.toThrow(
      'redis-cli -u redis://:***@h:6379 CONFIG SET maxmemory-policy noeviction',
    );
    await expect(failure).rejects.toThrow('`maxmemory-policy noeviction` in redis.conf');
    await expect(failure).rejects.toThrow('must never be evicted');
  });

  it('falls back to CONFIG GET when INFO does not show the policy', async () => {
    const viaConfig = reader('# Memory\r\nused_memory:1\r\n', async () => [
      'maxmemory-policy',
      'noeviction',
    ]);
    await expect(assertNoEviction(viaConfig, 'redis://h')).resolves.toBeUndefined();
    const lru = reader('# Memory\r\n', async () => ['maxmemory-policy', 'allkeys-lru']);
    await expect(assertNoEviction(lru, 'redis://h')).rejects.toThrow('is "allkeys-lru"');
  });

  it('refuses when the policy cannot be read at all', async () => {
    await expect(assertNoEviction(reader('# Memory\r\n'), 'redis://h')).rejects.toThrow(
      'maxmemory-policy could not be read',
    );
  });
});
