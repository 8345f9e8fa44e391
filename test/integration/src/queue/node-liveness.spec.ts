import { RedisNodeLiveness } from '@gantry/queue';
import { type Redis } from 'ioredis';
import { cleanUp, sharedRedis, uniquePrefix } from './support';

describe('RedisNodeLiveness (real Redis)', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = sharedRedis();
    prefix = uniquePrefix('liveness');
  });

  afterEach(async () => {
    await cleanUp(redis, prefix);
  });

  it('keeps the last beat of each node and forgets nodes', async () => {
    const liveness = new RedisNodeLiveness({ redis, prefix });
    const t0 = 1_767_000_000_000;
    await liveness.beat('node_a', t0);
    await liveness.beat('node_b', t0 + 5);
    await liveness.beat('node_a', t0 + 2000);
    expect(await liveness.lastBeats(['node_a', 'node_b', 'node_missing'])).toEqual(
      new Map([
        ['node_a', t0 + 2000],
        ['node_b', t0 + 5],
      ]),
    );
    await liveness.forget('node_a');
    expect(await liveness.lastBeats(['node_a', 'node_b'])).toEqual(new Map([['node_b', t0 + 5]]));
    expect(await liveness.lastBeats([])).toEqual(new Map());
    // Another prefix sees none of it.
    expect(
      await new RedisNodeLiveness({ redis, prefix: uniquePrefix('x') }).lastBeats(['node_b']),
    ).toEqual(new Map());
  });

  it('rejects a time that is not epoch milliseconds', async () => {
    const liveness = new RedisNodeLiveness({ redis, prefix });
    await expect(liveness.beat('node_a', 1.5)).rejects.toThrow('at: must be epoch milliseconds');
  });
});
