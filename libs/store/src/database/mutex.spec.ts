import { Mutex } from './mutex';

describe('Mutex', () => {
  it('lets one holder in at a time, in arrival order', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const releaseFirst = await mutex.acquire();
    const second = mutex.acquire().then((release) => {
      order.push('second');
      release();
    });
    const third = mutex.acquire().then((release) => {
      order.push('third');
      release();
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(mutex.locked).toBe(true);
    order.push('first');
    releaseFirst();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(mutex.locked).toBe(false);
  });

  it('ignores a second release of the same hold', async () => {
    const mutex = new Mutex();
    const release = await mutex.acquire();
    release();
    const next = await mutex.acquire();
    release();
    expect(mutex.locked).toBe(true);
    next();
    expect(mutex.locked).toBe(false);
  });
});
