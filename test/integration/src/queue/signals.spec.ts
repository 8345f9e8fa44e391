import { createRedis, RedisSignals } from '@gantry/queue';
import { type Redis } from 'ioredis';
import {
  cleanUp,
  recordingLogger,
  sharedRedis,
  testConfig,
  uniquePrefix,
  waitFor,
} from './support';

describe('RedisSignals (real Redis)', () => {
  let prefix: string;
  let clients: Redis[];
  let signals: RedisSignals[];
  const logger = recordingLogger();

  /** A replica's signals: its own publishing connection and its own subscriber. */
  function replica(): RedisSignals {
    const redis = createRedis(testConfig.redisUrl);
    clients.push(redis);
    const s = new RedisSignals({ redis, prefix, logger });
    signals.push(s);
    return s;
  }

  beforeEach(() => {
    prefix = uniquePrefix('signals');
    clients = [];
    signals = [];
  });

  afterEach(async () => {
    await Promise.all(signals.map((s) => s.close()));
    await Promise.all(clients.map((c) => c.quit()));
    await cleanUp(sharedRedis(), prefix);
  });

  /** Keeps publishing until `received` holds (a subscription takes a moment to be active). */
  async function publishUntil(
    publish: () => Promise<void>,
    received: () => boolean,
  ): Promise<void> {
    await waitFor('the signal to arrive', async () => {
      if (!received()) await publish();
      return received();
    });
  }

  it('delivers job signals across connections, only to that job', async () => {
    const sender = replica();
    const receiver = replica();
    let job1 = 0;
    let job2 = 0;
    let scheduler = 0;
    receiver.onJobChanged('job_1', () => (job1 += 1));
    receiver.onJobChanged('job_2', () => (job2 += 1));
    receiver.onSchedulerWanted(() => (scheduler += 1));
    await publishUntil(
      () => sender.jobChanged('job_1'),
      () => job1 > 0,
    );
    expect(job2).toBe(0);
    expect(scheduler).toBe(0);
    await publishUntil(
      () => sender.schedulerWanted(),
      () => scheduler > 0,
    );
    expect(job2).toBe(0);
  });

  it('calls every listener of a channel and stops calling one after it unsubscribes', async () => {
    const sender = replica();
    const receiver = replica();
    let kept = 0;
    let dropped = 0;
    const unsubscribeDropped = receiver.onSchedulerWanted(() => (dropped += 1));
    const unsubscribeKept = receiver.onSchedulerWanted(() => (kept += 1));
    await publishUntil(
      () => sender.schedulerWanted(),
      () => kept > 0 && dropped > 0,
    );
    unsubscribeDropped();
    unsubscribeDropped(); // twice is harmless
    const droppedBefore = dropped;
    const keptBefore = kept;
    await publishUntil(
      () => sender.schedulerWanted(),
      () => kept > keptBefore,
    );
    expect(dropped).toBe(droppedBefore);

    // The last listener gone, the channel is unsubscribed on the server.
    unsubscribeKept();
    const channel = `${prefix}:signal:scheduler`;
    await waitFor('the channel to be unsubscribed', async () => {
      const [, count] = (await clients[0]!.pubsub('NUMSUB', channel)) as [string, number];
      return Number(count) === 0;
    });
  });

  it('keeps delivering to other listeners when one throws, and logs it', async () => {
    const sender = replica();
    const receiver = replica();
    let calls = 0;
    receiver.onJobChanged('job_x', () => {
      throw new Error('listener bug');
    });
    receiver.onJobChanged('job_x', () => (calls += 1));
    await publishUntil(
      () => sender.jobChanged('job_x'),
      () => calls > 0,
    );
    expect(logger.lines).toContain('error: Signal listener threw (listener bug)');
  });

  it('closes idempotently; listening after close does nothing', async () => {
    const s = replica();
    s.onSchedulerWanted(() => undefined);
    await Promise.all([s.close(), s.close()]);
    const unsubscribe = s.onJobChanged('job_y', () => undefined);
    unsubscribe();
    await s.close();
  });
});
