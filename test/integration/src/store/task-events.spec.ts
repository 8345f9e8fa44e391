import type { NodeRecord, ReportedEvent, Scope } from '@gantry/store';
import { aJob, aNode, aTenant, openPostgresStore, placeJob, type StoreHarness } from './harness';

describe('agent task reports (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;
  let node: NodeRecord;
  let jobId: string;

  const started = (sequence: number, attempt = 1): ReportedEvent => ({
    jobId,
    attempt,
    rank: 0,
    sequence,
    report: { type: 'started', backend: 'simulated' },
  });

  beforeEach(async () => {
    store = await openPostgresStore('events');
    scope = await aTenant(store, 'team-a');
    node = await aNode(store, 'n1');
    jobId = await aJob(store, scope);
    await placeJob(store, jobId, node, [2]);
  });

  afterEach(async () => {
    await store.close();
  });

  it('runs a job through started, progress, log and exited with numbered history', async () => {
    const t1 = store.clock.advance(1000);
    const first = await store.jobs.applyTaskEvents(
      node.id,
      [
        started(1),
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 2,
          report: { type: 'progress', fraction: 0.5, message: 'half' },
        },
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 3,
          report: { type: 'log', stream: 'stdout', lines: ['hello', 'world'] },
        },
      ],
      t1,
      3,
    );
    expect(first.outcomes).toEqual([
      { accepted: true, message: '' },
      { accepted: true, message: '' },
      { accepted: true, message: '' },
    ]);
    expect(first.changed).toEqual([
      expect.objectContaining({ id: jobId, state: 'running', priority: 100 }),
    ]);
    expect(await store.jobs.get(scope, jobId)).toMatchObject({
      state: 'running',
      startedAt: t1,
      progress: 0.5,
      attempts: [{ state: 'running', startedAt: t1, lastAgentSequence: 3 }],
    });

    const t2 = store.clock.advance(5000);
    const exit = await store.jobs.applyTaskEvents(
      node.id,
      [
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 4,
          report: { type: 'exited', exitCode: 0, signal: '', reason: '', message: '' },
        },
      ],
      t2,
      3,
    );
    expect(exit.changed).toEqual([expect.objectContaining({ id: jobId, state: 'succeeded' })]);
    expect(await store.jobs.get(scope, jobId)).toMatchObject({
      state: 'succeeded',
      reason: 'Completed',
      exitCode: 0,
      endedAt: t2,
      attempts: [{ state: 'succeeded', exitCode: 0, endedAt: t2 }],
    });
    const events = await store.jobs.events(scope, jobId, 3, 100);
    expect(events).toEqual([
      {
        sequence: 3,
        time: t1,
        type: 'state_change',
        attempt: 1,
        from: 'scheduled',
        to: 'running',
        reason: '',
        message: 'running on simulated backend',
      },
      { sequence: 4, time: t1, type: 'progress', attempt: 1, fraction: 0.5, message: 'half' },
      {
        sequence: 5,
        time: t1,
        type: 'log',
        attempt: 1,
        stream: 'stdout',
        lines: ['hello', 'world'],
      },
      {
        sequence: 6,
        time: t2,
        type: 'state_change',
        attempt: 1,
        from: 'running',
        to: 'succeeded',
        reason: 'Completed',
        message: 'exited with code 0',
        exitCode: 0,
      },
    ]);
    expect(await store.jobs.events(scope, jobId, 5, 1)).toEqual([events[2]]);
    expect(await store.jobs.activeAllocations()).toEqual([]);
  });

  it('records a failing exit', async () => {
    await store.jobs.applyTaskEvents(
      node.id,
      [
        started(1),
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 2,
          report: { type: 'exited', exitCode: 3, signal: '', reason: '', message: '' },
        },
      ],
      store.clock.advance(1000),
      3,
    );
    expect(await store.jobs.get(scope, jobId)).toMatchObject({
      state: 'failed',
      reason: 'NonZeroExit',
      message: 'exited with code 3',
      exitCode: 3,
    });
  });

  it('ends a cancelling job cancelled when its task exits', async () => {
    await store.jobs.applyTaskEvents(node.id, [started(1)], store.clock.advance(1000), 3);
    await store.jobs.cancel(scope, jobId, '', store.clock.advance(1000));
    const exit = await store.jobs.applyTaskEvents(
      node.id,
      [
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 2,
          report: { type: 'exited', exitCode: 143, signal: 'SIGTERM', reason: '', message: '' },
        },
      ],
      store.clock.advance(1000),
      3,
    );
    expect(exit.changed).toEqual([expect.objectContaining({ state: 'cancelled' })]);
    expect(await store.jobs.get(scope, jobId)).toMatchObject({
      state: 'cancelled',
      attempts: [{ state: 'cancelled' }],
    });
    expect(await store.jobs.cancellingAttempts()).toEqual([]);
  });
});
