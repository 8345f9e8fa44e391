import { InProcessStepCache } from './step-cache';

describe('InProcessStepCache', () => {
  it('computes once, collapses identical calls in flight, and serves later ones from memory', async () => {
    const cache = new InProcessStepCache();
    let computed = 0;
    let finish!: (v: string) => void;
    const compute = () => {
      computed++;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = cache.getOrCompute('h', compute);
    const second = cache.getOrCompute('h', compute);
    await Promise.resolve();
    finish('value');
    expect(await first).toEqual({ value: 'value', source: 'computed' });
    expect(await second).toEqual({ value: 'value', source: 'inflight' });
    expect(await cache.getOrCompute('h', compute)).toEqual({ value: 'value', source: 'cache' });
    expect(computed).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('keeps different hashes apart', async () => {
    const cache = new InProcessStepCache();
    const a = await cache.getOrCompute('a', async () => 1);
    const b = await cache.getOrCompute('b', async () => 2);
    expect([a.value, b.value]).toEqual([1, 2]);
  });

  it('stores nothing when the computation fails; the failure reaches the owner and waiters compute again', async () => {
    const cache = new InProcessStepCache();
    let fail!: (e: Error) => void;
    const owner = cache.getOrCompute(
      'h',
      () => new Promise<string>((_, reject) => (fail = reject)),
    );
    let retries = 0;
    const retry = async () => {
      retries++;
      return 'again';
    };
    const waiter1 = cache.getOrCompute('h', retry);
    const waiter2 = cache.getOrCompute('h', retry);
    await Promise.resolve();
    fail(new Error('engine down'));
    await expect(owner).rejects.toThrow('engine down');
    expect(await waiter1).toEqual({ value: 'again', source: 'computed' });
    expect(await waiter2).toEqual({ value: 'again', source: 'inflight' });
    expect(retries).toBe(1);
  });

  it('turns a synchronous throw of compute into a rejection', async () => {
    const cache = new InProcessStepCache();
    const boom = (): Promise<number> => {
      throw new Error('sync');
    };
    await expect(cache.getOrCompute('h', boom)).rejects.toThrow('sync');
    expect(await cache.getOrCompute('h', async () => 3)).toEqual({ value: 3, source: 'computed' });
  });
});
