import type { NodeRecord, Scope } from '@gantry/store';
import { aJob, aNode, aTenant, openPostgresStore, placeJob, type StoreHarness } from './harness';

describe('abandonAttempt (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;
  let node: NodeRecord;

  beforeEach(async () => {
    store = await openPostgresStore('abandon');
    scope = await aTenant(store, 'team-a');
    node = await aNode(store, 'n1');
  });

  afterEach(async () => {
    await store.close();
  });

  it('requeues the job as pending and keeps the attempt in its history', async () => {
    const id = await aJob(store, scope, { priority: 7 });
    await placeJob(store, id, node, [1]);
    const now = store.clock.advance(1000);
    const changed = await store.jobs.abandonAttempt(
      id,
      1,
      'DispatchFailed',
      'agent refused',
      3,
      now,
    );
    expect(changed).toEqual({
      id,
      state: 'pending',
      priority: 7,
      submittedAt: (await store.jobs.get(scope, id)).submittedAt,
    });
    const job = await store.jobs.get(scope, id);
    expect(job).toMatchObject({ state: 'pending', reason: 'Requeued', attempt: 1 });
    expect(job.attempts).toMatchObject([
      { number: 1, state: 'failed', endedAt: now, message: 'agent refused' },
    ]);
    expect(await store.jobs.activeAllocations()).toEqual([]);

    // The next placement is attempt 2; the old one stays in the record.
    expect(await placeJob(store, id, node, [1])).toBe(2);
    expect((await store.jobs.get(scope, id)).attempts.map((a) => [a.number, a.state])).toEqual([
      [1, 'failed'],
      [2, 'dispatching'],
    ]);
  });

  it('fails the job with TooManyAttempts at maxAttempts', async () => {
    const id = await aJob(store, scope);
    await placeJob(store, id, node);
    await store.jobs.abandonAttempt(id, 1, 'NodeLost', 'node n1 lost', 2, store.clock.now());
    await placeJob(store, id, node);
    const changed = await store.jobs.abandonAttempt(
      id,
      2,
      'NodeLost',
      'node n1 lost',
      2,
      store.clock.now(),
    );
    expect(changed?.state).toBe('failed');
    const job = await store.jobs.get(scope, id);
    expect(job).toMatchObject({
      state: 'failed',
      reason: 'TooManyAttempts',
      message: 'node n1 lost; gave up after 2 attempts',
    });
    expect(job.attempts.map((a) => a.state)).toEqual(['lost', 'lost']);
  });

  it('ends a cancelling job cancelled', async () => {
    const id = await aJob(store, scope);
    await placeJob(store, id, node);
    await store.jobs.cancel(scope, id, '', store.clock.now());
    const changed = await store.jobs.abandonAttempt(
      id,
      1,
      'NodeLost',
      'gone',
      3,
      store.clock.now(),
    );
    expect(changed?.state).toBe('cancelled');
    expect(await store.jobs.cancellingAttempts()).toEqual([]);
  });

  it('does nothing for a stale or unknown attempt', async () => {
    const id = await aJob(store, scope);
    await placeJob(store, id, node);
    await store.jobs.abandonAttempt(id, 1, 'DispatchFailed', 'x', 3, store.clock.now());
    await placeJob(store, id, node);
    const before = await store.jobs.get(scope, id);
    expect(await store.jobs.abandonAttempt(id, 1, 'DispatchFailed', 'x', 3, 0)).toBeUndefined();
    expect(await store.jobs.abandonAttempt(id, 9, 'DispatchFailed', 'x', 3, 0)).toBeUndefined();
    expect(
      await store.jobs.abandonAttempt('job_unknown', 1, 'NodeLost', 'x', 3, 0),
    ).toBeUndefined();
    expect(await store.jobs.get(scope, id)).toEqual(before);
  });
});
