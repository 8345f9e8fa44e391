import { AbortedError, Reason } from '@gantry/domain';
import type { NodeRecord, Scope } from '@gantry/store';
import {
  aCycle,
  aJob,
  aNode,
  aTenant,
  openPostgresStore,
  placeJob,
  type StoreHarness,
} from './harness';
import { exited, report, started } from './runs';

describe('a scheduling cycle: preemptions, nominations, dependency failures (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;
  let node: NodeRecord;

  beforeEach(async () => {
    store = await openPostgresStore('cycle');
    scope = await aTenant(store, 'team-a');
    node = await aNode(store, 'n1');
  });

  afterEach(async () => {
    await store.close();
  });

  const preempt = (jobId: string, attempt = 1, fence = 1) =>
    store.jobs.commitCycle(
      fence,
      aCycle({ preemptions: [{ jobId, attempt, message: 'preempted for job_x' }] }),
      store.clock.advance(1000),
    );

  it('preempts a running attempt with a notice and a stop order, sent again when repeated', async () => {
    const victim = await aJob(store, scope);
    await placeJob(store, victim, node, [3]);
    await started(store, node, victim);
    const first = await preempt(victim);
    expect(first).toEqual({
      placed: [],
      changed: [],
      preempted: [{ jobId: victim, attempt: 1, rank: 0, nodeId: node.id }],
    });
    const job = await store.jobs.get(scope, victim);
    expect(job).toMatchObject({ state: 'running', reason: 'Preempted' });
    expect(job.attempts[0]).toMatchObject({ state: 'running', stopReason: 'Preempted' });
    expect((await store.jobs.events(scope, victim, 1, 10)).at(-1)).toMatchObject({
      type: 'notice',
      attempt: 1,
      reason: 'Preempted',
      message: 'preempted for job_x',
    });
    const again = await preempt(victim);
    expect(again.preempted).toEqual(first.preempted);
    expect(await store.jobs.events(scope, victim, 5, 10)).toEqual([]);
  });

  it('sends a preempted job back to pending on exit, then protects it after it restarts', async () => {
    const victim = await aJob(store, scope);
    await placeJob(store, victim, node, [0]);
    await started(store, node, victim);
    await report(store, node, victim, 1, 2, { type: 'progress', fraction: 0.5, message: '' });
    await preempt(victim);
    await exited(store, node, victim, 1, -1, 'SIGTERM');
    expect(await store.jobs.get(scope, victim)).toMatchObject({
      state: 'pending',
      reason: 'Preempted',
      message: 'preempted for job_x; waiting to run again',
      preemptions: 1,
      progress: 0.5,
      attempts: [{ state: 'preempted', stopReason: 'Preempted' }],
    });
    const now = store.clock.advance(1000);
    const { placed } = await store.jobs.commitCycle(
      1,
      aCycle({
        placements: [
          {
            jobId: victim,
            allocations: [{ nodeId: node.id, nodeName: 'n1', gpuIndices: [0] }],
            protectedForSeconds: 600,
          },
        ],
      }),
      now,
    );
    expect(placed).toEqual([
      { jobId: victim, attempt: 2, tasks: [{ rank: 0, nodeId: node.id, gpuIndices: [0] }] },
    ]);
    expect(await store.jobs.get(scope, victim)).toMatchObject({
      state: 'scheduled',
      protectedUntil: now + 600_000,
      preemptions: 1,
    });
  });

  it('ignores a stale attempt and a job being cancelled', async () => {
    const [stale, cancelling] = [await aJob(store, scope), await aJob(store, scope)];
    await placeJob(store, stale, node, [0]);
    await placeJob(store, cancelling, node, [1]);
    await store.jobs.cancel(scope, cancelling, '', store.clock.now());
    const result = await store.jobs.commitCycle(
      1,
      aCycle({
        preemptions: [
          { jobId: stale, attempt: 2, message: 'x' },
          { jobId: cancelling, attempt: 1, message: 'x' },
          { jobId: 'job_gone', attempt: 1, message: 'x' },
        ],
      }),
      store.clock.now(),
    );
    expect(result.preempted).toEqual([]);
    expect((await store.jobs.get(scope, stale)).attempts[0]!.stopReason).toBe('');
    expect((await store.jobs.get(scope, cancelling)).reason).toBe('Cancelled');
  });

  it('nominates nodes for a pending job and clears them when it is placed', async () => {
    const waiting = await aJob(store, scope);
    const running = await aJob(store, scope);
    await placeJob(store, running, node, [0]);
    await store.jobs.commitCycle(
      1,
      aCycle({
        nominations: [
          { jobId: waiting, nodeIds: [node.id, 'node_other'] },
          { jobId: running, nodeIds: [node.id] },
        ],
        waiting: [
          { jobId: waiting, reason: Reason.Preempting, message: 'waiting for 1 job to stop' },
        ],
      }),
      store.clock.now(),
    );
    expect(await store.jobs.get(scope, waiting)).toMatchObject({
      nominatedNodeIds: [node.id, 'node_other'],
      reason: 'Preempting',
    });
    expect((await store.jobs.get(scope, running)).nominatedNodeIds).toEqual([]);
    await placeJob(store, waiting, node, [1]);
    expect((await store.jobs.get(scope, waiting)).nominatedNodeIds).toEqual([]);
  });

  it('cancels pending jobs whose dependencies can never be met, and no other', async () => {
    const [doomed, running] = [await aJob(store, scope), await aJob(store, scope)];
    await placeJob(store, running, node, [0]);
    const now = store.clock.advance(1000);
    const message = 'job_a ended failed, but this job runs after-ok';
    const result = await store.jobs.commitCycle(
      1,
      aCycle({
        dependencyFailures: [
          { jobId: doomed, message },
          { jobId: running, message },
        ],
        waiting: [{ jobId: doomed, reason: Reason.WaitingForDependencies, message: 'x' }],
      }),
      now,
    );
    expect(result.changed).toEqual([
      { id: doomed, state: 'cancelled', priority: 100, submittedAt: expect.any(Number) as number },
    ]);
    expect(await store.jobs.get(scope, doomed)).toMatchObject({
      state: 'cancelled',
      reason: 'DependencyNeverSatisfied',
      message,
      endedAt: now,
    });
    expect((await store.jobs.get(scope, running)).state).toBe('scheduled');
  });

  it('writes none of it under a stale fence', async () => {
    const [victim, doomed] = [await aJob(store, scope), await aJob(store, scope)];
    await placeJob(store, victim, node, [0], 7);
    const error: unknown = await store.jobs
      .commitCycle(
        6,
        aCycle({
          preemptions: [{ jobId: victim, attempt: 1, message: 'x' }],
          nominations: [{ jobId: doomed, nodeIds: [node.id] }],
          dependencyFailures: [{ jobId: doomed, message: 'never' }],
        }),
        store.clock.now(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((await store.jobs.get(scope, victim)).attempts[0]!.stopReason).toBe('');
    expect(await store.jobs.get(scope, doomed)).toMatchObject({
      state: 'pending',
      nominatedNodeIds: [],
    });
  });
});
