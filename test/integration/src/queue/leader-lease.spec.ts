import { systemClock } from '@gantry/domain';
import { createRedis, LeaderElector, RedisLeaderLease, systemTimers } from '@gantry/queue';
import { type Redis } from 'ioredis';
import {
  cleanUp,
  recordingLogger,
  sharedRedis,
  testConfig,
  uniquePrefix,
  waitFor,
} from './support';

describe('RedisLeaderLease (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  const lease = (replicaId: string, ttlMs = 10_000, tokenFloor?: () => Promise<number>) =>
    new RedisLeaderLease({
      redis,
      prefix,
      replicaId,
      ttlMs,
      ...(tokenFloor ? { tokenFloor } : {}),
    });

  beforeEach(() => {
    redis = sharedRedis();
    prefix = uniquePrefix('lease');
  });

  afterEach(async () => {
    await cleanUp(redis, prefix);
  });

  it('lets one replica hold it at a time', async () => {
    const a = lease('replica-a');
    const b = lease('replica:b');
    const token = await a.tryAcquire();
    expect(token).toBe(1);
    expect(await b.tryAcquire()).toBeUndefined();
    expect(await a.tryAcquire()).toBeUndefined();
    expect(await b.holder()).toEqual({ replicaId: 'replica-a', token: 1 });
    await b.release(1); // not b's lease: nothing happens
    expect(await a.holder()).toEqual({ replicaId: 'replica-a', token: 1 });
    await a.release(1);
    expect(await a.holder()).toBeUndefined();
    expect(await b.tryAcquire()).toBe(2);
    expect(await a.holder()).toEqual({ replicaId: 'replica:b', token: 2 });
  });

  it('gives exactly one of many simultaneous candidates the lease', async () => {
    const candidates = Array.from({ length: 12 }, (_, i) => lease(`replica-${i}`));
    const tokens = await Promise.all(candidates.map((c) => c.tryAcquire()));
    expect(tokens.filter((t) => t !== undefined)).toEqual([1]);
  });

  it('issues strictly increasing tokens across replicas, releases and expiries', async () => {
    const a = lease('a', 150);
    const b = lease('b', 150);
    const seen: number[] = [];
    for (let round = 0; round < 3; round++) {
      const ta = (await a.tryAcquire())!;
      seen.push(ta);
      await a.release(ta);
      const tb = (await b.tryAcquire())!;
      seen.push(tb);
      await waitFor('the lease to expire', async () => (await b.holder()) === undefined); // no release
    }
    expect(seen).toHaveLength(6);
    seen.forEach((token, i) => expect(token).toBeGreaterThan(i === 0 ? 0 : seen[i - 1]!));
    // The counter itself never expires.
    expect(await redis.pttl(`${prefix}:lease:{scheduler}:fence`)).toBe(-1);
  });

  it('renews only while held: not after expiry, not after a takeover', async () => {
    const a = lease('a', 200);
    const b = lease('b', 200);
    const first = (await a.tryAcquire())!;
    expect(await a.renew(first)).toBe(true);
    const ttl = await redis.pttl(`${prefix}:lease:{scheduler}`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(200);
    expect(await b.renew(first)).toBe(false); // same token, other replica
    await waitFor('the lease to expire', async () => (await a.holder()) === undefined);
    expect(await a.renew(first)).toBe(false);
    const second = (await b.tryAcquire())!;
    expect(second).toBeGreaterThan(first);
    expect(await a.renew(first)).toBe(false);
    await a.release(first);
    expect(await b.holder()).toEqual({ replicaId: 'b', token: second });
  });

  it('starts above a token floor known elsewhere (Redis lost its counter)', async () => {
    const a = lease('a', 10_000, async () => 1000);
    expect(await a.tryAcquire()).toBe(1001);
    await a.release(1001);
    expect(await lease('b').tryAcquire()).toBe(1002);
  });
});

describe('LeaderElector on a real lease', () => {
  const ttlMs = 1000;
  const retryMs = 100;
  let prefix: string;
  const clients: Redis[] = [];
  const electors: LeaderElector[] = [];

  beforeEach(() => {
    prefix = uniquePrefix('elector');
  });

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((e) => e.stop()));
    await Promise.all(clients.splice(0).map((c) => c.quit()));
    await cleanUp(sharedRedis(), prefix);
  });

  function replica(replicaId: string) {
    const redis = createRedis(testConfig.redisUrl);
    clients.push(redis);
    const events: { what: 'elected' | 'demoted'; token?: number; at: number }[] = [];
    const logger = recordingLogger();
    const elector = new LeaderElector({
      lease: new RedisLeaderLease({ redis, prefix, replicaId, ttlMs }),
      ttlMs,
      retryMs,
      clock: systemClock,
      timers: systemTimers,
      logger,
      onElected: (token) => void events.push({ what: 'elected', token, at: Date.now() }),
      onDemoted: () => void events.push({ what: 'demoted', at: Date.now() }),
    });
    electors.push(elector);
    return { elector, events, logger };
  }

  it('elects one of two, and the other takes over within ttl + retry after a crash', async () => {
    const a = replica('a');
    const b = replica('b');
    a.elector.start();
    b.elector.start();
    await waitFor('a leader', () => a.elector.token !== undefined || b.elector.token !== undefined);
    // Both stay where they are for several renewal periods: no flapping, never two leaders.
    const until = Date.now() + ttlMs * 1.5;
    await waitFor('a while', () => {
      expect([a.elector.token, b.elector.token].filter((t) => t !== undefined)).toHaveLength(1);
      return Date.now() > until;
    });
    const [leader, follower] = a.elector.token !== undefined ? [a, b] : [b, a];
    const firstToken = leader.elector.token!;
    expect(leader.events.filter((e) => e.what === 'elected')).toHaveLength(1);

    const crashedAt = Date.now();
    await leader.elector.stop({ release: false }); // a crash: the lease stays until it expires
    await waitFor(
      'the follower to take over',
      () => follower.elector.token !== undefined,
      ttlMs * 5,
    );
    const elected = follower.events.find((e) => e.what === 'elected')!;
    expect(elected.token).toBeGreaterThan(firstToken);
    expect(elected.at - crashedAt).toBeLessThanOrEqual(ttlMs + retryMs + 400);
    expect(follower.logger.lines.filter((l) => !l.startsWith('info'))).toEqual([]);
  });

  it('hands over at once when the leader stops cleanly', async () => {
    const a = replica('a');
    a.elector.start();
    await waitFor('a to lead', () => a.elector.token !== undefined);
    const b = replica('b');
    b.elector.start();
    await a.elector.stop();
    expect(a.events.map((e) => e.what)).toEqual(['elected', 'demoted']);
    const stoppedAt = Date.now();
    await waitFor('b to lead', () => b.elector.token !== undefined);
    // Without the release it would take at least 2/3 of a ttl (the lease was renewed ttl/3 ago at most).
    expect(Date.now() - stoppedAt).toBeLessThan(ttlMs / 2);
  });
});
