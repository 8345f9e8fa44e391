import { FailedPreconditionError, NotFoundError, ValidationError } from '@gantry/domain';
import type { NodeRecord, Scope } from '@gantry/store';
import { aJob, aNode, aTenant, openPostgresStore, placeJob, type StoreHarness } from './harness';
import { exited, report, started } from './runs';

describe('what the policy reads, and checkpoints (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;
  let node: NodeRecord;

  beforeEach(async () => {
    store = await openPostgresStore('reads');
    scope = await aTenant(store, 'team-a');
    node = await aNode(store, 'n1');
  });

  afterEach(async () => {
    await store.close();
  });

  it('lists the active current attempts with their jobs and tenant names', async () => {
    const [running, dispatching, done, pending] = [
      await aJob(store, scope, { priority_class: 'serving' }),
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
    ];
    await placeJob(store, running, node, [0, 1]);
    await started(store, node, running);
    await placeJob(store, dispatching, node, [2]);
    await placeJob(store, done, node, [3]);
    await started(store, node, done);
    await exited(store, node, done, 1, 0);
    const active = await store.jobs.activeAttempts();
    expect(active.map((a) => a.job.id)).toEqual([running, dispatching].sort());
    const first = active.find((a) => a.job.id === running)!;
    expect(first.tenantName).toBe('team-a');
    expect(first.job).toMatchObject({ state: 'running', spec: { priorityClass: 'serving' } });
    expect(first.job).not.toHaveProperty('lastEventSeq');
    expect(first.attempt).toMatchObject({ number: 1, state: 'running', gpuIndices: [0, 1] });
    expect(active.map((a) => a.job.id)).not.toContain(pending);
  });

  it('reads the states of the jobs that exist', async () => {
    const [a, b] = [await aJob(store, scope), await aJob(store, scope)];
    await store.jobs.cancel(scope, b, '', store.clock.now());
    expect(await store.jobs.jobStates([a, b, 'job_gone', a])).toEqual(
      new Map([
        [a, 'pending'],
        [b, 'cancelled'],
      ]),
    );
    expect(await store.jobs.jobStates([])).toEqual(new Map());
  });

  it('reads finished runs: the final attempt’s run time, newest last, cancelled left out', async () => {
    const since = store.clock.now();
    const runs: [string, number][] = [];
    for (const [gpus, exitCode] of [
      [1, 0],
      [4, 2],
      [2, 0],
    ] as const) {
      const id = await aJob(store, scope, { resources: { gpus } });
      await placeJob(
        store,
        id,
        node,
        Array.from({ length: gpus }, (_, i) => i),
      );
      await started(store, node, id);
      store.clock.advance(gpus * 10_000);
      await exited(store, node, id, 1, exitCode);
      runs.push([id, store.clock.now()]);
    }
    const cancelled = await aJob(store, scope);
    await placeJob(store, cancelled, node, [0]);
    await started(store, node, cancelled);
    await store.jobs.cancel(scope, cancelled, '', store.clock.now());
    await exited(store, node, cancelled, 1, -1, 'SIGTERM');

    const all = await store.jobs.finishedRuns(since, 10);
    expect(all).toEqual([
      { tenantId: scope.tenantId, gpus: 1, seconds: 11, endedAt: runs[0]![1] },
      { tenantId: scope.tenantId, gpus: 4, seconds: 41, endedAt: runs[1]![1] },
      { tenantId: scope.tenantId, gpus: 2, seconds: 21, endedAt: runs[2]![1] },
    ]);
    expect(await store.jobs.finishedRuns(since, 2)).toEqual(all.slice(1));
    expect(await store.jobs.finishedRuns(runs[1]![1], 10)).toEqual(all.slice(2));
    await expect(store.jobs.finishedRuns(since, 0)).rejects.toThrow(
      new ValidationError([{ field: 'limit', message: 'must be a whole number >= 1 (got 0)' }]),
    );
  });

  it('records checkpoints from the API and from the agent', async () => {
    const id = await aJob(store, scope);
    await expect(
      store.jobs.recordCheckpoint(scope, id, 'early', store.clock.now()),
    ).rejects.toThrow(
      new FailedPreconditionError(
        `job ${id} is pending; only a running job can record a checkpoint`,
      ),
    );
    await placeJob(store, id, node, [0]);
    await started(store, node, id);
    const t1 = store.clock.advance(1000);
    const view = await store.jobs.recordCheckpoint(scope, id, 'step 100', t1);
    expect(view.lastCheckpointAt).toBe(t1);
    await report(store, node, id, 1, 2, { type: 'checkpoint', message: 'step 200' });
    const job = await store.jobs.get(scope, id);
    expect(job.lastCheckpointAt).toBe(store.clock.now());
    expect(await store.jobs.events(scope, id, 4, 10)).toEqual([
      expect.objectContaining({ type: 'checkpoint', attempt: 1, message: 'step 100', time: t1 }),
      expect.objectContaining({ type: 'checkpoint', attempt: 1, message: 'step 200' }),
    ]);
    const other = await aTenant(store, 'team-b');
    await expect(store.jobs.recordCheckpoint(other, id, 'x', t1)).rejects.toThrow(
      new NotFoundError('job', id),
    );
    await expect(store.jobs.recordCheckpoint(scope, id, 'x'.repeat(1025), t1)).rejects.toThrow(
      'message: must be at most 1024 characters (got 1025)',
    );
  });
});
