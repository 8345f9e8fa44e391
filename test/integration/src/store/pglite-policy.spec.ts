import {
  aCycle,
  aJob,
  aNode,
  aSpec,
  aTenant,
  openPgliteStore,
  placeJob,
  T0,
  type StoreHarness,
} from './harness';
import { exited, started } from './runs';

const H = 'H100-80GB';

describe('the policy store on embedded PGlite', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPgliteStore();
  });

  afterEach(async () => {
    await store.close();
  });

  it('submits arrays and runs a cycle with every kind of write, as on PostgreSQL', async () => {
    const scope = await aTenant(store, 'team-a');
    const node = await aNode(store, 'n1');
    const before = await aJob(store, scope);
    const { arrayJobIds } = await store.jobs.submit({
      tenantId: scope.tenantId,
      spec: aSpec({ dependencies: [{ job_id: before }] }),
      idempotencyKey: 'arr',
      array: { first: 0, last: 2 },
      now: store.clock.advance(1000),
    });
    expect(arrayJobIds).toHaveLength(3);
    const [a, b, c] = arrayJobIds as [string, string, string];
    await placeJob(store, before, node, [0]);
    await started(store, node, before);
    const result = await store.jobs.commitCycle(
      1,
      aCycle({
        preemptions: [{ jobId: before, attempt: 1, message: 'preempted for ' + a }],
        nominations: [{ jobId: a, nodeIds: [node.id] }],
        dependencyFailures: [{ jobId: b, message: 'never' }],
        waiting: [{ jobId: c, reason: 'WaitingForDependencies', message: `waiting for ${before}` }],
      }),
      store.clock.advance(1000),
    );
    expect(result.preempted).toEqual([{ jobId: before, attempt: 1, rank: 0, nodeId: node.id }]);
    expect(result.changed.map((j) => [j.id, j.state])).toEqual([[b, 'cancelled']]);
    expect((await store.jobs.get(scope, a)).nominatedNodeIds).toEqual([node.id]);
    expect((await store.jobs.get(scope, c)).reason).toBe('WaitingForDependencies');
    expect((await store.jobs.activeAttempts()).map((x) => x.job.id)).toEqual([before]);
    expect(await store.jobs.jobStates([before, b])).toEqual(
      new Map([
        [before, 'running'],
        [b, 'cancelled'],
      ]),
    );
    await exited(store, node, before, 1, 0);
    expect((await store.jobs.get(scope, before)).state).toBe('pending');
  });

  it('keeps queues, classes, usage and finished runs', async () => {
    await store.policy.putQueue(
      { name: 'org', parent: null, guaranteed: { [H]: 8 }, max: {}, weight: 1 },
      T0,
    );
    expect((await store.policy.listQueues()).map((q) => q.name)).toEqual(['default', 'org']);
    await store.policy.putClass({
      name: 'eval',
      priority: 200,
      preemptible: true,
      minRuntimeSeconds: 0,
      gracePeriodSeconds: 5,
    });
    expect(await store.policy.listClasses()).toHaveLength(5);
    await store.policy.accrueUsage(1, [{ queue: 'org', model: H, gpuSeconds: 8 }], T0, 60);
    await store.policy.accrueUsage(1, [], T0 + 60_000, 60);
    expect(await store.policy.usage()).toEqual([
      { queue: 'org', model: H, gpuSeconds: 4, asOf: T0 + 60_000 },
    ]);
    await store.policy.deleteQueue('org');

    const scope = await aTenant(store, 'team-a');
    const node = await aNode(store, 'n1');
    const id = await aJob(store, scope);
    await placeJob(store, id, node, [0]);
    await started(store, node, id);
    await exited(store, node, id, 1, 0);
    expect(await store.jobs.finishedRuns(0, 5)).toEqual([
      { tenantId: scope.tenantId, gpus: 1, seconds: 1, endedAt: store.clock.now() },
    ]);
  });
});
