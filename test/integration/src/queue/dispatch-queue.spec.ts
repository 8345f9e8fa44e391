import {
  BullDispatchQueue,
  type DispatchHandlers,
  type DispatchOrder,
  PermanentDispatchError,
  type RunOrder,
} from '@gantry/queue';
import {
  cleanUp,
  recordingLogger,
  sharedRedis,
  testConfig,
  uniquePrefix,
  waitFor,
} from './support';

const run = (jobId: string, attempt = 1): RunOrder => ({
  kind: 'run',
  jobId,
  attempt,
  nodeId: 'node_a',
});

describe('BullDispatchQueue (real Redis)', () => {
  let prefix: string;
  let queues: BullDispatchQueue[];
  const logger = recordingLogger();

  function open(tries = 3, backoffMs = 50): BullDispatchQueue {
    const queue = new BullDispatchQueue({
      url: testConfig.redisUrl,
      prefix,
      tries,
      backoffMs,
      logger,
    });
    queues.push(queue);
    return queue;
  }

  /** Handlers that record each call; `deliver` runs `behaviour` for every try. */
  function recorder(
    behaviour: (order: DispatchOrder, tryNo: number) => Promise<void> = async () => undefined,
  ) {
    const tries: { order: DispatchOrder; at: number }[] = [];
    const gaveUp: { order: DispatchOrder; error: Error }[] = [];
    const handlers: DispatchHandlers = {
      deliver: async (order) => {
        tries.push({ order, at: Date.now() });
        await behaviour(order, tries.filter((t) => t.order.jobId === order.jobId).length);
      },
      gaveUp: async (order, error) => void gaveUp.push({ order, error }),
    };
    return { handlers, tries, gaveUp };
  }

  beforeEach(() => {
    prefix = uniquePrefix('dispatch');
    queues = [];
  });

  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await cleanUp(sharedRedis(), prefix);
  });

  it('enqueues an order once while it waits, per (kind, jobId, attempt)', async () => {
    const queue = open();
    expect(await queue.has('run', 'job_a', 1)).toBe(false);
    expect(await queue.enqueue(run('job_a'))).toBe(true);
    expect(await queue.enqueue(run('job_a'))).toBe(false);
    expect(await queue.has('run', 'job_a', 1)).toBe(true);
    expect(await queue.enqueue(run('job_a', 2))).toBe(true);
    const stop: DispatchOrder = {
      kind: 'stop',
      jobId: 'job_a',
      attempt: 1,
      nodeId: 'n',
      graceSeconds: 5,
      reason: 'x',
    };
    expect(await queue.enqueue(stop)).toBe(true);
    expect(await queue.has('stop', 'job_a', 1)).toBe(true);
    expect(await queue.has('run', 'job_a', 3)).toBe(false);

    // Concurrent enqueues of one new order, from two queue instances: exactly one adds it.
    const other = open();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? queue : other).enqueue(run('job_b'))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('says has() while waiting and in flight, not after completion', async () => {
    const queue = open();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { handlers, tries } = recorder(async () => gate);
    await queue.enqueue(run('job_c'));
    expect(await queue.has('run', 'job_c', 1)).toBe(true);
    queue.startWorker(handlers, 1);
    await waitFor('the order to be in flight', () => tries.length === 1);
    expect(await queue.has('run', 'job_c', 1)).toBe(true);
    expect(await queue.enqueue(run('job_c'))).toBe(false);
    release();
    await waitFor(
      'the completed order to be gone',
      async () => !(await queue.has('run', 'job_c', 1)),
    );
    expect(tries).toHaveLength(1);
    // Completed orders are removed: the same order can be queued again (e.g. by the reconciler).
    expect(await queue.enqueue(run('job_c'))).toBe(true);
  });

  it('retries with exponential backoff, then calls gaveUp once', async () => {
    const backoffMs = 100;
    const queue = open(3, backoffMs);
    const { handlers, tries, gaveUp } = recorder(async (_, n) =>
      Promise.reject(new Error(`agent down (try ${n})`)),
    );
    queue.startWorker(handlers, 2);
    await queue.enqueue(run('job_d'));
    await waitFor('gaveUp', () => gaveUp.length > 0);
    await waitFor(
      'the failed order to be removed',
      async () => !(await queue.has('run', 'job_d', 1)),
    );
    expect(tries).toHaveLength(3);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(backoffMs - 5);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(2 * backoffMs - 5);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]!.order).toEqual(run('job_d'));
    expect(gaveUp[0]!.error.message).toBe('agent down (try 3)');
  });

  it('does not give up when a retry succeeds', async () => {
    const queue = open(3, 20);
    const { handlers, tries, gaveUp } = recorder(async (_, n) => {
      if (n < 3) throw new Error('flaky');
    });
    queue.startWorker(handlers, 1);
    await queue.enqueue(run('job_e'));
    await waitFor('the third try', () => tries.length === 3);
    await waitFor(
      'the completed order to be gone',
      async () => !(await queue.has('run', 'job_e', 1)),
    );
    expect(gaveUp).toEqual([]);
  });

  it('gives up at once on a PermanentDispatchError', async () => {
    const queue = open(5, 20);
    const { handlers, tries, gaveUp } = recorder(async () =>
      Promise.reject(new PermanentDispatchError('no node')),
    );
    queue.startWorker(handlers, 1);
    await queue.enqueue(run('job_f'));
    await waitFor('gaveUp', () => gaveUp.length > 0);
    await waitFor(
      'the failed order to be removed',
      async () => !(await queue.has('run', 'job_f', 1)),
    );
    expect(tries).toHaveLength(1);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]!.error).toBeInstanceOf(PermanentDispatchError);
  });

  it('processes many orders concurrently, each exactly once', async () => {
    const producer = open();
    const consumer = open();
    let inFlight = 0;
    let maxInFlight = 0;
    const { handlers, tries } = recorder(async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
    });
    consumer.startWorker(handlers, 16);
    const orders = Array.from({ length: 300 }, (_, i) => run(`job_${i}`));
    const added = await Promise.all(orders.map((o) => producer.enqueue(o)));
    expect(added.every(Boolean)).toBe(true);
    await waitFor('every order delivered', () => tries.length >= orders.length, 30_000);
    await waitFor('the queue to drain', async () => !(await producer.has('run', 'job_299', 1)));
    const delivered = tries.map((t) => t.order.jobId);
    expect(new Set(delivered).size).toBe(orders.length);
    expect(delivered).toHaveLength(orders.length);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(16);
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const queue = open();
    queue.startWorker(recorder().handlers, 1);
    expect(() => queue.startWorker(recorder().handlers, 1)).toThrow('already running');
    await Promise.all([queue.close(), queue.close()]);
    await queue.close();
    await expect(queue.enqueue(run('job_g'))).rejects.toThrow('called after close()');
  });
});
