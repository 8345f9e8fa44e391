import type { Scope } from '@gantry/store';
import { aJob, aNode, aTenant, openPostgresStore, placeJob, type StoreHarness } from './harness';

describe('cancel (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;

  beforeEach(async () => {
    store = await openPostgresStore('cancel');
    scope = await aTenant(store, 'team-a');
  });

  afterEach(async () => {
    await store.close();
  });

  it('ends a pending job at once, with no stop order', async () => {
    const id = await aJob(store, scope);
    const now = store.clock.advance(1000);
    const result = await store.jobs.cancel(scope, id, 'no longer needed', now);
    expect(result.stops).toEqual([]);
    expect(result.job).toMatchObject({
      state: 'cancelled',
      reason: 'Cancelled',
      message: 'cancelled: no longer needed',
      endedAt: now,
    });
    const events = await store.jobs.events(scope, id, 2, 10);
    expect(events).toEqual([
      expect.objectContaining({ sequence: 2, time: now, from: 'pending', to: 'cancelled' }),
    ]);
  });

  it('moves a scheduled job to cancelling and names the attempt to stop', async () => {
    const node = await aNode(store, 'n1');
    const id = await aJob(store, scope);
    const attempt = await placeJob(store, id, node, [3]);
    const result = await store.jobs.cancel(scope, id, '', store.clock.advance(1000));
    expect(result.job.state).toBe('cancelling');
    expect(result.stops).toEqual([{ jobId: id, attempt, rank: 0, nodeId: node.id }]);
    expect(await store.jobs.cancellingAttempts()).toEqual([
      { jobId: id, attempt, rank: 0, nodeId: node.id },
    ]);

    // Cancelling again changes nothing but repeats the stop order.
    const again = await store.jobs.cancel(scope, id, '', store.clock.advance(1000));
    expect(again.stops).toEqual(result.stops);
    expect(again.job).toEqual(result.job);
    const events = await store.jobs.events(scope, id, 1, 100);
    expect(events.map((e) => e.type === 'state_change' && e.to)).toEqual([
      'pending',
      'scheduled',
      'cancelling',
    ]);
  });

  it('leaves an ended job unchanged', async () => {
    const id = await aJob(store, scope);
    const first = await store.jobs.cancel(scope, id, '', store.clock.advance(1000));
    const second = await store.jobs.cancel(scope, id, 'again', store.clock.advance(1000));
    expect(second.job).toEqual(first.job);
    expect(second.stops).toEqual([]);
    expect(await store.jobs.events(scope, id, 1, 100)).toHaveLength(2);
  });
});
