import { AbortedError, Reason } from '@gantry/domain';
import type { Scope } from '@gantry/store';
import { aCycle, aJob, aNode, aTenant, openPostgresStore, placeJob } from './harness';
import type { StoreHarness } from './harness';

describe('scheduler writes and reads (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;

  beforeEach(async () => {
    store = await openPostgresStore('sched');
    scope = await aTenant(store, 'team-a');
  });

  afterEach(async () => {
    await store.close();
  });

  it('places pending jobs, skips one no longer pending, and sets waiting reasons', async () => {
    const node = await aNode(store, 'n1');
    const [placeMe, cancelled, waits] = [
      await aJob(store, scope, { resources: { gpus: 2 } }),
      await aJob(store, scope),
      await aJob(store, scope, { resources: { gpus: 64 } }),
    ];
    await store.jobs.cancel(scope, cancelled, '', store.clock.now());
    const now = store.clock.advance(1000);
    const result = await store.jobs.commitCycle(
      1,
      aCycle({
        placements: [
          {
            jobId: placeMe,
            allocations: [{ nodeId: node.id, nodeName: 'n1', gpuIndices: [0, 1] }],
          },
          { jobId: cancelled, allocations: [{ nodeId: node.id, nodeName: 'n1', gpuIndices: [2] }] },
        ],
        waiting: [{ jobId: waits, reason: Reason.Unschedulable, message: 'no node has 64 GPUs' }],
      }),
      now,
    );
    expect(result).toEqual({
      placed: [
        { jobId: placeMe, attempt: 1, tasks: [{ rank: 0, nodeId: node.id, gpuIndices: [0, 1] }] },
      ],
      preempted: [],
      changed: [expect.objectContaining({ id: placeMe, state: 'scheduled' })],
    });
    const job = await store.jobs.get(scope, placeMe);
    expect(job).toMatchObject({ state: 'scheduled', attempt: 1, message: 'placed on n1 GPUs 0,1' });
    expect(job.attempts).toEqual([
      {
        jobId: placeMe,
        number: 1,
        rank: 0,
        nodeId: node.id,
        nodeName: 'n1',
        gpuIndices: [0, 1],
        state: 'dispatching',
        createdAt: now,
        startedAt: null,
        endedAt: null,
        exitCode: null,
        message: '',
        lastAgentSequence: 0,
        stopReason: '',
        endReason: '',
      },
    ]);
    expect(await store.jobs.events(scope, placeMe, 2, 10)).toEqual([
      expect.objectContaining({ sequence: 2, attempt: 1, from: 'pending', to: 'scheduled' }),
    ]);
    expect((await store.jobs.get(scope, cancelled)).state).toBe('cancelled');
    const waiting = await store.jobs.get(scope, waits);
    expect(waiting).toMatchObject({ state: 'pending', reason: 'Unschedulable' });
    expect(waiting.message).toBe('no node has 64 GPUs');
    expect(await store.jobs.events(scope, waits, 2, 10)).toEqual([]);
  });

  it('refuses a stale fencing token and writes nothing', async () => {
    const node = await aNode(store, 'n1');
    const [first, second] = [await aJob(store, scope), await aJob(store, scope)];
    await placeJob(store, first, node, [0], 5);
    const error: unknown = await store.jobs
      .commitCycle(
        4,
        aCycle({
          placements: [
            { jobId: second, allocations: [{ nodeId: node.id, nodeName: 'n1', gpuIndices: [1] }] },
          ],
          waiting: [{ jobId: second, reason: 'WaitingForResources', message: 'x' }],
        }),
        store.clock.now(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as Error).message).toContain('fencing token 4 is stale');
    expect(await store.jobs.get(scope, second)).toMatchObject({
      state: 'pending',
      reason: 'Submitted',
      attempts: [],
    });
    // The same leader may write again; a newer one may take over.
    await placeJob(store, second, node, [1], 6);
  });

  it('never hands out a GPU an active attempt holds, nor places on a lost node', async () => {
    const n1 = await aNode(store, 'n1');
    const n2 = await aNode(store, 'n2');
    const [a, b, c, d] = [
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
      await aJob(store, scope),
    ];
    await placeJob(store, a, n1, [0]);
    await store.nodes.markLost(1, n2.id, 'silent', 3, store.clock.now());
    const { placed } = await store.jobs.commitCycle(
      1,
      aCycle({
        placements: [
          { jobId: b, allocations: [{ nodeId: n1.id, nodeName: 'n1', gpuIndices: [0] }] },
          { jobId: c, allocations: [{ nodeId: n2.id, nodeName: 'n2', gpuIndices: [0] }] },
          { jobId: d, allocations: [{ nodeId: n1.id, nodeName: 'n1', gpuIndices: [1] }] },
        ],
      }),
      store.clock.now(),
    );
    expect(placed.map((p) => p.jobId)).toEqual([d]);
    expect(await store.jobs.activeAllocations()).toEqual(
      [
        { nodeId: n1.id, jobId: a, attempt: 1, gpuIndices: [0] },
        { nodeId: n1.id, jobId: d, attempt: 1, gpuIndices: [1] },
      ].sort((x, y) => x.jobId.localeCompare(y.jobId)),
    );
  });

  it('reads pending jobs by id and pages through every pending entry', async () => {
    const node = await aNode(store, 'n1');
    const ids = [
      await aJob(store, scope, { priority: 10 }),
      await aJob(store, scope, { priority: 20 }),
      await aJob(store, scope, { priority: 30 }),
    ];
    await placeJob(store, ids[1]!, node);
    const pending = await store.jobs.loadPending([...ids, 'job_unknown']);
    expect(pending.map((j) => j.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect(pending[0]).not.toHaveProperty('lastEventSeq');
    expect(await store.jobs.loadPending([])).toEqual([]);

    const firstPage = await store.jobs.pendingEntries('', 1);
    expect(firstPage).toEqual([
      { id: ids[0], state: 'pending', priority: 10, submittedAt: expect.any(Number) as number },
    ]);
    const rest = await store.jobs.pendingEntries(firstPage[0]!.id, 10);
    expect(rest.map((e) => [e.id, e.priority])).toEqual([[ids[2], 30]]);
  });

  it('lists dispatching work until the agent confirms it', async () => {
    const node = await aNode(store, 'n1');
    const id = await aJob(store, scope, { queue: 'rl' });
    const attempt = await placeJob(store, id, node, [4]);
    const work = await store.jobs.dispatchingWork();
    expect(work).toEqual([
      {
        jobId: id,
        attempt,
        rank: 0,
        nodeId: node.id,
        gpuIndices: [4],
        spec: (await store.jobs.get(scope, id)).spec,
      },
    ]);
    expect(await store.jobs.dispatchWork(id, attempt)).toEqual(work[0]);
    expect(await store.jobs.dispatchWork(id, attempt + 1)).toBeUndefined();

    await store.jobs.applyTaskEvents(
      node.id,
      [
        {
          jobId: id,
          attempt,
          rank: 0,
          sequence: 1,
          report: { type: 'started', backend: 'simulated' },
        },
      ],
      store.clock.now(),
      3,
    );
    expect(await store.jobs.dispatchingWork()).toEqual([]);
    expect(await store.jobs.dispatchWork(id, attempt)).toBeUndefined();
  });

  it('updates only waiting jobs whose reason changed, in batches beyond the parameter limit', async () => {
    const [a, b] = [await aJob(store, scope), await aJob(store, scope)];
    const unknown = Array.from({ length: 70_000 }, (_, i) => `job_${i}`);
    expect(await store.jobs.loadPending([a, ...unknown])).toHaveLength(1);
    await store.jobs.commitCycle(
      1,
      aCycle({
        waiting: [
          { jobId: a, reason: 'WaitingForResources', message: 'needs 1 free GPU' },
          { jobId: b, reason: 'Unschedulable', message: 'no node has H100s' },
          ...unknown.map((jobId) => ({ jobId, reason: 'x', message: 'y' })),
        ],
      }),
      store.clock.now(),
    );
    expect(await store.jobs.get(scope, a)).toMatchObject({
      reason: 'WaitingForResources',
      message: 'needs 1 free GPU',
    });
    expect(await store.jobs.get(scope, b)).toMatchObject({
      reason: 'Unschedulable',
      message: 'no node has H100s',
    });
  });
});
