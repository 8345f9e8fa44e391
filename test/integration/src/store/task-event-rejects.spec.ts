import type { NodeRecord, ReportedEvent, Scope } from '@gantry/store';
import { aJob, aNode, aTenant, openPostgresStore, placeJob, type StoreHarness } from './harness';

describe('agent task reports that change nothing (PostgreSQL)', () => {
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
    store = await openPostgresStore('rejects');
    scope = await aTenant(store, 'team-a');
    node = await aNode(store, 'n1');
    jobId = await aJob(store, scope);
    await placeJob(store, jobId, node, [2]);
  });

  afterEach(async () => {
    await store.close();
  });

  it('accepts a repeated sequence without effect', async () => {
    await store.jobs.applyTaskEvents(node.id, [started(1)], store.clock.advance(1000), 3);
    const before = await store.jobs.get(scope, jobId);
    const repeat = await store.jobs.applyTaskEvents(
      node.id,
      [
        started(1),
        {
          jobId,
          attempt: 1,
          rank: 0,
          sequence: 1,
          report: { type: 'progress', fraction: 1, message: '' },
        },
      ],
      store.clock.advance(1000),
      3,
    );
    expect(repeat).toEqual({
      outcomes: [
        { accepted: true, message: '' },
        { accepted: true, message: '' },
      ],
      changed: [],
    });
    expect(await store.jobs.get(scope, jobId)).toEqual(before);
    expect(await store.jobs.events(scope, jobId, 1, 100)).toHaveLength(3);
  });

  it('rejects reports of an unknown job, a stale attempt and another node, with no effect', async () => {
    const other = await aNode(store, 'n2');
    await store.jobs.abandonAttempt(jobId, 1, 'DispatchFailed', 'agent down', 5, store.clock.now());
    await placeJob(store, jobId, node, [2]);
    const before = await store.jobs.get(scope, jobId);
    const result = await store.jobs.applyTaskEvents(
      node.id,
      [{ ...started(1), jobId: 'job_unknown' }, started(1, 1), started(1, 7)],
      store.clock.advance(1000),
      3,
    );
    const fromOther = await store.jobs.applyTaskEvents(
      other.id,
      [started(1, 2)],
      store.clock.now(),
      3,
    );
    expect(result.outcomes).toEqual([
      { accepted: false, message: 'job job_unknown not found' },
      {
        accepted: false,
        message: `attempt 1 of job ${jobId} is stale: the current attempt is 2`,
      },
      { accepted: false, message: `attempt ? of job ${jobId} is stale: the current attempt is 2` },
    ]);
    expect(fromOther.outcomes).toEqual([
      { accepted: false, message: `attempt 2 of job ${jobId} runs on another node` },
    ]);
    expect(result.changed).toEqual([]);
    expect(await store.jobs.get(scope, jobId)).toEqual(before);
  });

  it('applies the good reports of a batch and rejects the bad ones', async () => {
    const result = await store.jobs.applyTaskEvents(
      node.id,
      [started(1), started(2, 9)],
      store.clock.advance(1000),
      3,
    );
    expect(result.outcomes.map((o) => o.accepted)).toEqual([true, false]);
    expect((await store.jobs.get(scope, jobId)).state).toBe('running');
  });
});
