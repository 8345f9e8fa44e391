/** The control plane refuses to start on bad configuration, saying what to fix. */
import { startRedisServer, type RedisServerHandle } from '@gantry/testing';
import { Cluster } from './harness';

describe('control-plane start-up checks', () => {
  let cluster: Cluster;
  let redis: RedisServerHandle | undefined;

  beforeEach(async () => {
    cluster = await Cluster.create();
  });

  afterEach(async () => {
    await cluster.destroy();
    await redis?.stop();
    redis = undefined;
  });

  it('refuses a Redis whose maxmemory-policy is not noeviction, and says how to fix it', async () => {
    redis = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const cp = cluster.spawnControlPlane('cp-lru', { REDIS_URL: redis.url });
    const exit = await cp.waitForExit(30_000);
    expect(exit.code).toBe(78);
    const fatal = cp.lines.find((l) => l.level === 'fatal');
    const message = JSON.stringify(fatal);
    expect(message).toContain('allkeys-lru');
    expect(message).toContain('CONFIG SET maxmemory-policy noeviction');
  });

  it('lists every bad variable and exits 78', async () => {
    const cp = cluster.spawnControlPlane('cp-bad-config', {
      GANTRY_NODE_LOST_TIMEOUT_SECONDS: 'soon',
      GANTRY_ADMIN_API_KEY: 'hunter2',
      GANTRY_GRPC_PORT: '70000',
    });
    const exit = await cp.waitForExit(15_000);
    expect(exit.code).toBe(78);
    const text = cp.lines.map((l) => l.msg).join('\n');
    expect(text).toContain(
      "GANTRY_NODE_LOST_TIMEOUT_SECONDS: must be a number at least 0.2 and at most 3600 (got 'soon')",
    );
    expect(text).toContain('GANTRY_ADMIN_API_KEY: must be a key of the form');
    expect(text).toContain(
      "GANTRY_GRPC_PORT: must be a whole number at least 0 and at most 65535 (got '70000')",
    );
  });
});
