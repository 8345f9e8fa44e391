import { ClaimingStepCache, type StepClaims } from '@gantry/workloads';
import { RedisStepClaims } from '@gantry/queue';
import { type Redis } from 'ioredis';
import { cleanUp, sharedRedis, uniquePrefix } from './support';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hashOf = (n: number) => n.toString(16).padStart(64, '0');

describe('the step cache on real Redis', () => {
  let prefix: string;
  let redis: Redis;
  let claims: RedisStepClaims;

  beforeEach(() => {
    prefix = uniquePrefix('steps');
    redis = sharedRedis();
    claims = new RedisStepClaims({ redis, prefix, valueTtlMs: 60_000, claimTtlMs: 5_000 });
  });
  afterEach(() => cleanUp(redis, prefix));

  /** A cache per "agent": each has its own view, as separate processes would. */
  const cacheOver = (c: StepClaims = claims) =>
    new ClaimingStepCache({ claims: c, sleep, minPollMs: 5, maxPollMs: 20 });

  /** Claims that note when their caller was told to wait, to release a computation then. */
  function watched(): { claims: StepClaims; waited: () => boolean } {
    let waited = false;
    return {
      waited: () => waited,
      claims: {
        claim: async (hash) => {
          const answer = await claims.claim(hash);
          if (answer.kind === 'wait') waited = true;
          return answer;
        },
        complete: (hash, token, json) => claims.complete(hash, token, json),
        abandon: (hash, token) => claims.abandon(hash, token),
      },
    };
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await sleep(5);
  }

  it('collapses 50 concurrent identical calls into one computation', async () => {
    let computations = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      computations++;
      await gate;
      return { text: 'The answer is \\boxed{391}.', tokens: 12 };
    };
    const callers = Array.from({ length: 50 }, () => watched());
    const calls = callers.map((c) => cacheOver(c.claims).getOrCompute(hashOf(1), compute));
    // Release the computation once every other caller is waiting for it.
    await until(() => computations === 1 && callers.filter((c) => c.waited()).length === 49);
    release();
    const results = await Promise.all(calls);
    expect(computations).toBe(1);
    expect(results.filter((r) => r.source === 'computed')).toHaveLength(1);
    expect(results.filter((r) => r.source === 'inflight')).toHaveLength(49);
    expect(new Set(results.map((r) => JSON.stringify(r.value))).size).toBe(1);
  });

  it('answers a later identical call from the cache, and another call not at all', async () => {
    const cache = cacheOver();
    await cache.getOrCompute(hashOf(2), async () => 'first');
    expect(await cache.getOrCompute(hashOf(2), async () => 'second')).toEqual({
      value: 'first',
      source: 'cache',
    });
    expect(await cache.getOrCompute(hashOf(3), async () => 'other')).toEqual({
      value: 'other',
      source: 'computed',
    });
    expect(await redis.pttl(`${prefix}:step:{${hashOf(2)}}:value`)).toBeGreaterThan(50_000);
  });

  it('hands a failed computation to a waiter, who computes it', async () => {
    let fail!: () => void;
    const failing = new Promise<never>(
      (_, reject) => (fail = () => reject(new Error('engine down'))),
    );
    const first = cacheOver().getOrCompute(hashOf(4), () => failing);
    const waiter = watched();
    let holderComputing = false;
    const second = cacheOver(waiter.claims).getOrCompute(hashOf(4), async () => {
      holderComputing = true;
      return 'recovered';
    });
    await until(waiter.waited);
    expect(holderComputing).toBe(false);
    fail();
    await expect(first).rejects.toThrow('engine down');
    expect(await second).toEqual({ value: 'recovered', source: 'computed' });
  });

  it('lets a waiter compute once a dead holder’s claim expires', async () => {
    const short = new RedisStepClaims({ redis, prefix, valueTtlMs: 60_000, claimTtlMs: 100 });
    const dead = await short.claim(hashOf(5));
    expect(dead.kind).toBe('claim');
    const started = Date.now();
    expect(await cacheOver(short).getOrCompute(hashOf(5), async () => 'after expiry')).toEqual({
      value: 'after expiry',
      source: 'computed',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('keeps the first value when a holder whose claim expired completes late', async () => {
    const short = new RedisStepClaims({ redis, prefix, valueTtlMs: 60_000, claimTtlMs: 50 });
    const late = await short.claim(hashOf(6));
    await sleep(80);
    const now = await short.claim(hashOf(6));
    if (late.kind !== 'claim' || now.kind !== 'claim') throw new Error('expected two claims');
    await short.complete(hashOf(6), now.token, '"winner"');
    await short.complete(hashOf(6), late.token, '"late"');
    expect(await short.claim(hashOf(6))).toEqual({ kind: 'value', json: '"winner"' });
  });

  it('computes without the cache when Redis fails, and says so', async () => {
    const broken: StepClaims = {
      claim: () => Promise.reject(new Error('connection refused')),
      complete: () => Promise.reject(new Error('unused')),
      abandon: () => Promise.reject(new Error('unused')),
    };
    const errors: string[] = [];
    const cache = new ClaimingStepCache({
      claims: broken,
      sleep,
      onCacheError: (e) => errors.push(String(e)),
    });
    expect(await cache.getOrCompute(hashOf(7), async () => 1)).toEqual({
      value: 1,
      source: 'computed',
    });
    expect(errors).toEqual(['Error: connection refused']);
  });

  it('refuses a malformed hash', async () => {
    await expect(claims.claim('nothex')).rejects.toThrow('hash: must be 64 lower-case hex digits');
  });
});
