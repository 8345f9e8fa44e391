import { FailedPreconditionError } from '@gantry/domain';
import { describePlan, NoRedisError, planRedis, redactUrl, type RedisProbes } from './redis-plan';

function probes(overrides: Partial<RedisProbes>) {
  const asked: string[] = [];
  const all: RedisProbes = {
    configuredUrl: undefined,
    redisServer: 'redis-server',
    hasProgram: async (program) => {
      asked.push(`program:${program}`);
      return false;
    },
    dockerAnswers: async () => {
      asked.push('docker');
      return false;
    },
    ...overrides,
  };
  return { all, asked };
}

describe('planRedis', () => {
  it('takes REDIS_URL first and probes nothing', async () => {
    const { all, asked } = probes({ configuredUrl: 'redis://10.0.0.5:6379' });
    await expect(planRedis(all)).resolves.toEqual({ kind: 'url', url: 'redis://10.0.0.5:6379' });
    expect(asked).toEqual([]);
  });

  it('starts redis-server when it is on PATH, without asking Docker', async () => {
    const { all, asked } = probes({
      redisServer: '/opt/redis/bin/redis-server',
      hasProgram: async (program) => {
        asked.push(`program:${program}`);
        return true;
      },
    });
    await expect(planRedis(all)).resolves.toEqual({
      kind: 'redis-server',
      program: '/opt/redis/bin/redis-server',
    });
    expect(asked).toEqual(['program:/opt/redis/bin/redis-server']);
  });

  it('falls back to a container when a Docker engine answers', async () => {
    const { all, asked } = probes({
      dockerAnswers: async () => {
        asked.push('docker');
        return true;
      },
    });
    await expect(planRedis(all)).resolves.toEqual({ kind: 'container' });
    expect(asked).toEqual(['program:redis-server', 'docker']);
  });

  it('says what to install when there is nothing', async () => {
    const { all, asked } = probes({});
    const plan = planRedis(all);
    await expect(plan).rejects.toThrow(NoRedisError);
    await expect(planRedis(all)).rejects.toThrow(FailedPreconditionError);
    await expect(planRedis(all)).rejects.toThrow(/apt install redis-server.*REDIS_URL=/);
    expect(asked.slice(0, 2)).toEqual(['program:redis-server', 'docker']);
  });
});

describe('describePlan', () => {
  it('never shows a Redis password', () => {
    expect(describePlan({ kind: 'url', url: 'redis://:hunter2@cache:6379/0' })).toBe(
      'REDIS_URL (redis://***@cache:6379/0)',
    );
    expect(redactUrl('redis://cache:6379')).toBe('redis://cache:6379');
  });
});
