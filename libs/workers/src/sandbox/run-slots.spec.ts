import { RunSlots } from './run-slots';

/** A promise settled from outside, standing for a run that ends when the test says. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RunSlots', () => {
  it('lets `limit` runs in at once and the rest in order as slots free up', async () => {
    const slots = new RunSlots(2);
    const started: string[] = [];
    const gates = { a: deferred(), b: deferred(), c: deferred(), d: deferred() };
    const runs = (Object.keys(gates) as (keyof typeof gates)[]).map((name) =>
      slots.with(async () => {
        started.push(name);
        await gates[name].promise;
        return name;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(slots.usage).toEqual({ running: 2, waiting: 2 });
    gates.b.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.a.resolve();
    gates.c.resolve();
    gates.d.resolve();
    await expect(Promise.all(runs)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(slots.usage).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails', async () => {
    const slots = new RunSlots(1);
    await expect(slots.with(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.with(async () => 'next')).resolves.toBe('next');
    expect(slots.usage).toEqual({ running: 0, waiting: 0 });
  });

  it('has no limit when the limit is null', async () => {
    const slots = new RunSlots(null);
    const gate = deferred();
    const runs = Array.from({ length: 50 }, () => slots.with(() => gate.promise));
    expect(slots.usage).toEqual({ running: 50, waiting: 0 });
    gate.resolve();
    await Promise.all(runs);
  });
});
