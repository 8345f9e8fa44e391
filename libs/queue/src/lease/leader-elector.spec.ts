import { ManualClock } from '@gantry/domain';
import { type LeaderLease } from '../api';
import { type QueueLogger } from '../logger';
import { LeaderElector } from './leader-elector';
import { ManualTimers } from './manual-timers';

type Answer<T> = T | Error;

/** A lease whose answers the test scripts; it records every call. */
class ScriptedLease implements LeaderLease {
  acquire: Answer<number | undefined>[] = [];
  renewals: Answer<boolean>[] = [];
  readonly calls: string[] = [];

  async tryAcquire(): Promise<number | undefined> {
    this.calls.push('acquire');
    return answer(this.acquire.shift(), undefined);
  }
  async renew(token: number): Promise<boolean> {
    this.calls.push(`renew ${token}`);
    return answer(this.renewals.shift(), true);
  }
  async release(token: number): Promise<void> {
    this.calls.push(`release ${token}`);
  }
  async holder(): Promise<undefined> {
    return undefined;
  }
}

async function answer<T>(scripted: Answer<T> | undefined, fallback: T): Promise<T> {
  if (scripted instanceof Error) throw scripted;
  return scripted === undefined ? fallback : scripted;
}

const TTL = 3000;
const RETRY = 500;

function setup() {
  const clock = new ManualClock(1_000_000);
  const timers = new ManualTimers(clock);
  const lease = new ScriptedLease();
  const events: string[] = [];
  const logs: string[] = [];
  const log = (_fields: object, message: string): void => void logs.push(message);
  const logger: QueueLogger = { info: log, warn: log, error: log };
  const elector = new LeaderElector({
    lease,
    ttlMs: TTL,
    retryMs: RETRY,
    clock,
    timers,
    logger,
    onElected: (token) => void events.push(`elected ${token}`),
    onDemoted: (reason) => void events.push(`demoted: ${reason}`),
  });
  return { clock, timers, lease, events, logs, elector };
}

describe('LeaderElector', () => {
  it('tries every retryMs while a follower, then renews every ttl/3 while leader', async () => {
    const { timers, lease, events, elector } = setup();
    lease.acquire = [undefined, undefined, 7];
    elector.start();
    await timers.advance(0);
    expect(lease.calls).toEqual(['acquire']);
    await timers.advance(RETRY * 2);
    expect(lease.calls).toEqual(['acquire', 'acquire', 'acquire']);
    expect(events).toEqual(['elected 7']);
    expect(elector.token).toBe(7);
    await timers.advance(TTL * 10);
    expect(lease.calls.filter((c) => c === 'renew 7')).toHaveLength(30);
    expect(events).toEqual(['elected 7']);
  });

  it('steps down when a renewal says the lease is gone, then tries again', async () => {
    const { timers, lease, events, elector } = setup();
    lease.acquire = [4];
    lease.renewals = [true, false];
    elector.start();
    await timers.advance(TTL / 3 + TTL / 3);
    expect(events).toEqual(['elected 4', 'demoted: the lease expired or another replica took it']);
    expect(elector.token).toBeUndefined();
    lease.calls.length = 0;
    await timers.advance(RETRY);
    expect(lease.calls).toEqual(['acquire']);
  });

  it('stays leader through failed renewals until a whole ttl passed since the last success', async () => {
    const { timers, lease, events, elector, logs } = setup();
    lease.acquire = [9];
    lease.renewals = [
      true,
      new Error('connection lost'),
      new Error('connection lost'),
      new Error('again'),
    ];
    elector.start();
    await timers.advance(0); // elected at t0
    await timers.advance(TTL / 3); // renewed at t0 + ttl/3: valid until t0 + 4ttl/3
    await timers.advance(TTL - 1);
    expect(events).toEqual(['elected 9']);
    expect(logs).toContain('Could not renew the leader lease');
    await timers.advance(1);
    expect(events).toEqual([
      'elected 9',
      `demoted: no renewal succeeded within the lease ttl (${TTL} ms)`,
    ]);
  });

  it('steps down at the ttl when renewals hang, and gives back one that succeeds late', async () => {
    const { timers, lease, events, elector } = setup();
    const pending: ((renewed: boolean) => void)[] = [];
    lease.acquire = [3];
    lease.renew = async (token) => {
      lease.calls.push(`renew ${token}`);
      return new Promise<boolean>((resolve) => pending.push(resolve));
    };
    elector.start();
    await timers.advance(TTL - 1);
    expect(events).toEqual(['elected 3']);
    await timers.advance(1);
    expect(events).toEqual([
      'elected 3',
      `demoted: no renewal succeeded within the lease ttl (${TTL} ms)`,
    ]);
    expect(lease.calls).not.toContain('release 3');
    pending[0]!(true);
    await timers.advance(0);
    expect(lease.calls).toContain('release 3');
  });

  it('gives back a lease won by an acquire that answered after its timeout', async () => {
    const { timers, lease, elector } = setup();
    let resolveLate: (token: number) => void = () => undefined;
    lease.tryAcquire = async () => {
      lease.calls.push('acquire');
      return new Promise<number>((resolve) => (resolveLate = resolve));
    };
    elector.start();
    await timers.advance(TTL / 3); // the call times out
    resolveLate(11);
    await timers.advance(0);
    expect(lease.calls).toContain('release 11');
    expect(elector.token).toBeUndefined();
  });

  it('stop() releases the lease and reports the demotion; release: false leaves it to expire', async () => {
    const first = setup();
    first.lease.acquire = [5];
    first.elector.start();
    await first.timers.advance(0);
    await first.elector.stop();
    await first.elector.stop();
    expect(first.lease.calls).toEqual(['acquire', 'release 5']);
    expect(first.events).toEqual(['elected 5', 'demoted: the elector was stopped']);
    await first.timers.advance(TTL * 3);
    expect(first.lease.calls).toEqual(['acquire', 'release 5']);

    const crashed = setup();
    crashed.lease.acquire = [6];
    crashed.elector.start();
    await crashed.timers.advance(0);
    await crashed.elector.stop({ release: false });
    await crashed.timers.advance(TTL * 3);
    expect(crashed.lease.calls).toEqual(['acquire']);
  });

  it('logs callback and acquire errors instead of throwing them out of timers', async () => {
    const { timers, lease, logs, clock } = setup();
    const elector = new LeaderElector({
      lease,
      ttlMs: TTL,
      retryMs: RETRY,
      clock,
      timers,
      logger: {
        info: () => undefined,
        warn: (_f, m) => void logs.push(m),
        error: (_f, m) => void logs.push(m),
      },
      onElected: async () => Promise.reject(new Error('scheduler failed to start')),
      onDemoted: () => {
        throw new Error('boom');
      },
    });
    lease.acquire = [new Error('redis down'), 2];
    lease.renewals = [false];
    elector.start();
    await timers.advance(RETRY + TTL / 3);
    expect(logs).toEqual([
      'Could not try the leader lease; retrying',
      'LeaderElector onElected callback failed',
      'Stopped being leader',
      'LeaderElector onDemoted callback failed',
    ]);
  });
});
