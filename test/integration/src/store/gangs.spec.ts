import { Reason, type TaskReport } from '@gantry/domain';
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

/** Multi-node (gang) jobs through the store: a row per rank, all or nothing (PostgreSQL). */
describe('multi-node jobs (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;
  let nodes: NodeRecord[];

  beforeEach(async () => {
    store = await openPostgresStore('gangs');
    scope = await aTenant(store, 'team-a');
    nodes = [await aNode(store, 'n1'), await aNode(store, 'n2')];
  });

  afterEach(async () => {
    await store.close();
  });

  const GPUS = [0, 1, 2, 3];
  const placement = (jobId: string) => ({
    jobId,
    allocations: nodes.map((n) => ({ nodeId: n.id, nodeName: n.name, gpuIndices: GPUS })),
  });

  async function aGang(): Promise<string> {
    const id = await aJob(store, scope, { resources: { gpus: 4, nodes: 2 } });
    const { placed } = await store.jobs.commitCycle(
      1,
      aCycle({ placements: [placement(id)] }),
      store.clock.advance(1000),
    );
    expect(placed).toEqual([
      {
        jobId: id,
        attempt: 1,
        tasks: nodes.map((n, rank) => ({ rank, nodeId: n.id, gpuIndices: GPUS })),
      },
    ]);
    return id;
  }

  let seq = new Map<string, number>();
  beforeEach(() => {
    seq = new Map();
  });
  async function report(jobId: string, rank: number, taskReport: TaskReport, attempt = 1) {
    const key = `${jobId}/${attempt}/${rank}`;
    const sequence = (seq.get(key) ?? 0) + 1;
    seq.set(key, sequence);
    const result = await store.jobs.applyTaskEvents(
      nodes[rank]!.id,
      [{ jobId, attempt, rank, sequence, report: taskReport }],
      store.clock.advance(1000),
      3,
    );
    expect(result.outcomes).toEqual([{ accepted: true, message: '' }]);
    return result.changed;
  }
  const started: TaskReport = { type: 'started', backend: 'simulated' };
  const exited = (exitCode: number, signal = ''): TaskReport => ({
    type: 'exited',
    exitCode,
    signal,
    reason: '',
    message: '',
  });

  it('places every rank in one commit and hands each its gang', async () => {
    const id = await aGang();
    const job = await store.jobs.get(scope, id);
    expect(job.attempts.map((a) => [a.number, a.rank, a.nodeName, a.state])).toEqual([
      [1, 0, 'n1', 'dispatching'],
      [1, 1, 'n2', 'dispatching'],
    ]);
    const work = await store.jobs.dispatchingWork();
    expect(work.map((w) => [w.rank, w.nodeId])).toEqual([
      [0, nodes[0]!.id],
      [1, nodes[1]!.id],
    ]);
    expect(work[1]!.gang).toEqual(
      nodes.map((n, rank) => ({ rank, nodeId: n.id, nodeName: n.name, address: n.address })),
    );
    expect(await store.jobs.dispatchWork(id, 1, 1)).toEqual(work[1]);
  });

  it('places nothing when one rank cannot have its GPUs', async () => {
    const blocker = await aJob(store, scope, { resources: { gpus: 1 } });
    await placeJob(store, blocker, nodes[1]!, [2]);
    const id = await aJob(store, scope, { resources: { gpus: 4, nodes: 2 } });
    const { placed } = await store.jobs.commitCycle(
      1,
      aCycle({ placements: [placement(id)] }),
      store.clock.advance(1000),
    );
    expect(placed).toEqual([]);
    expect((await store.jobs.get(scope, id)).state).toBe('pending');
    const held = await store.jobs.activeAllocations();
    expect(held.map((a) => a.jobId)).toEqual([blocker]);
  });

  it('runs once both ranks started; one failure stops the other, which keeps its GPUs until it exits', async () => {
    const id = await aGang();
    await report(id, 0, started);
    expect((await store.jobs.get(scope, id)).state).toBe('scheduled');
    await report(id, 1, started);
    expect((await store.jobs.get(scope, id)).state).toBe('running');

    const changed = await report(id, 1, exited(3));
    expect(changed).toEqual([
      expect.objectContaining({
        id,
        state: 'running',
        stops: [{ jobId: id, attempt: 1, rank: 0, nodeId: nodes[0]!.id }],
      }),
    ]);
    expect(await store.jobs.gangStoppedAttempts()).toEqual([
      { jobId: id, attempt: 1, rank: 0, nodeId: nodes[0]!.id },
    ]);
    expect((await store.jobs.activeAllocations()).map((a) => a.nodeId)).toEqual([nodes[0]!.id]);
    expect(await store.jobs.stopOrders(nodes[0]!.id, [{ jobId: id, attempt: 1 }])).toEqual([
      { jobId: id, attempt: 1, rank: 0, nodeId: nodes[0]!.id },
    ]);

    await report(id, 0, exited(-1, 'SIGTERM'));
    const job = await store.jobs.get(scope, id);
    expect(job).toMatchObject({ state: 'failed', reason: Reason.NonZeroExit, exitCode: 3 });
    expect(job.attempts.map((a) => [a.rank, a.state, a.endReason])).toEqual([
      [0, 'cancelled', 'GangStopped'],
      [1, 'failed', 'NonZeroExit'],
    ]);
    expect(await store.jobs.gangStoppedAttempts()).toEqual([]);
    expect(await store.jobs.activeAllocations()).toEqual([]);
    expect(await store.jobs.finishedRuns(0, 10)).toEqual([expect.objectContaining({ gpus: 8 })]);
  });

  it("requeues the gang when a rank's node is lost, once the other rank has stopped", async () => {
    const id = await aGang();
    await report(id, 0, started);
    await report(id, 1, started);
    const changed = await store.nodes.markLost(
      1,
      nodes[0]!.id,
      'silent',
      3,
      store.clock.advance(1),
    );
    expect(changed).toEqual([
      expect.objectContaining({
        id,
        stops: [{ jobId: id, attempt: 1, rank: 1, nodeId: nodes[1]!.id }],
      }),
    ]);
    await report(id, 1, exited(-1, 'SIGTERM'));
    expect(await store.jobs.get(scope, id)).toMatchObject({
      state: 'pending',
      reason: Reason.Requeued,
      message: 'rank 0 ended NodeLost: silent; waiting for attempt 2',
    });
  });

  it('abandons an undeliverable rank: the others are told to stop first', async () => {
    const id = await aGang();
    const changed = await store.jobs.abandonAttempt(
      id,
      1,
      Reason.DispatchFailed,
      'unreachable',
      3,
      store.clock.advance(1000),
      1,
    );
    expect(changed?.stops).toEqual([{ jobId: id, attempt: 1, rank: 0, nodeId: nodes[0]!.id }]);
    expect(await store.jobs.dispatchWork(id, 1, 0)).toBeUndefined(); // never started now
    await store.jobs.abandonAttempt(
      id,
      1,
      Reason.DispatchFailed,
      'no task',
      3,
      store.clock.now(),
      0,
    );
    expect(await store.jobs.get(scope, id)).toMatchObject({ state: 'pending', reason: 'Requeued' });
  });

  it('preempts and cancels every rank', async () => {
    const id = await aGang();
    await report(id, 0, started);
    await report(id, 1, started);
    const { preempted } = await store.jobs.commitCycle(
      1,
      aCycle({ preemptions: [{ jobId: id, attempt: 1, message: 'for job_x' }] }),
      store.clock.advance(1000),
    );
    const stops = nodes.map((n, rank) => ({ jobId: id, attempt: 1, rank, nodeId: n.id }));
    expect(preempted).toEqual(stops);
    expect((await store.jobs.preemptingAttempts()).map(({ priorityClass: _, ...o }) => o)).toEqual(
      stops,
    );
    const { stops: cancelStops } = await store.jobs.cancel(scope, id, '', store.clock.now());
    expect(cancelStops).toEqual(stops);
    await report(id, 0, exited(-1, 'SIGTERM'));
    expect((await store.jobs.get(scope, id)).state).toBe('cancelling');
    await report(id, 1, exited(-1, 'SIGTERM'));
    expect((await store.jobs.get(scope, id)).state).toBe('cancelled');
  });
});
