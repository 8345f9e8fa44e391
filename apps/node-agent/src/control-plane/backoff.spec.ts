import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('spreads delays by the jitter', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0.999999 });
    expect(low.next()).toBe(800);
    expect(high.next()).toBe(1200);
  });

  it('asks for a log line at each growing step, then one in ten at the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 800 });
    const logged: number[] = [];
    for (let i = 1; i <= 25; i++) {
      backoff.next();
      if (backoff.shouldLog()) logged.push(i);
    }
    expect(logged).toEqual([1, 2, 3, 4, 10, 20]);
  });
});
