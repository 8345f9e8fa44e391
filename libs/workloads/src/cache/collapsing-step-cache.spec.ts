import type { StepCache, StepSource } from '../ports';
import { InProcessStepCache } from '../reasoning/step-cache';
import { CollapsingStepCache } from './collapsing-step-cache';

/** An inner cache that stores nothing and computes every call it gets, recording the hashes. */
class PassThroughCache implements StepCache {
  readonly asked: string[] = [];

  async getOrCompute<T>(hash: string, compute: () => Promise<T>) {
    this.asked.push(hash);
    return { value: await compute(), source: 'computed' as StepSource };
  }
}

/** A computation the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('CollapsingStepCache', () => {
  it('sends identical calls in flight to the inner cache once; the others wait for it', async () => {
    const inner = new PassThroughCache();
    const cache = new CollapsingStepCache(inner);
    const computation = deferred<string>();
    let computed = 0;
    const compute = () => {
      computed++;
      return computation.promise;
    };
    const first = cache.getOrCompute('h1', compute);
    const second = cache.getOrCompute('h1', compute);
    const other = cache.getOrCompute('h2', async () => 'other');
    expect(cache.pending).toBe(2);
    computation.resolve('value');
    expect(await first).toEqual({ value: 'value', source: 'computed' });
    expect(await second).toEqual({ value: 'value', source: 'inflight' });
    expect(await other).toEqual({ value: 'other', source: 'computed' });
    expect(computed).toBe(1);
    expect(inner.asked).toEqual(['h1', 'h2']);
    expect(cache.pending).toBe(0);
  });

  it('keeps nothing: a call after the first settled goes to the inner cache again', async () => {
    const inner = new PassThroughCache();
    const cache = new CollapsingStepCache(inner);
    await cache.getOrCompute('h', async () => 1);
    await cache.getOrCompute('h', async () => 2);
    expect(inner.asked).toEqual(['h', 'h']);
  });

  it("passes the inner cache's source to the first caller", async () => {
    const inner = new InProcessStepCache();
    await inner.getOrCompute('h', async () => 'stored');
    const cache = new CollapsingStepCache(inner);
    expect(await cache.getOrCompute('h', async () => 'new')).toEqual({
      value: 'stored',
      source: 'cache',
    });
  });

  it('lets a waiter compute for itself when the first caller fails', async () => {
    const inner = new PassThroughCache();
    const cache = new CollapsingStepCache(inner);
    const failing = deferred<string>();
    const first = cache.getOrCompute('h', () => failing.promise);
    const second = cache.getOrCompute('h', async () => 'mine');
    failing.reject(new Error('engine down'));
    await expect(first).rejects.toThrow('engine down');
    expect(await second).toEqual({ value: 'mine', source: 'computed' });
    expect(inner.asked).toEqual(['h', 'h']);
  });
});
