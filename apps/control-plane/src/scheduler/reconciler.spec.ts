import { aPendingJob, anAttempt } from '../testing/job-records';
import { controlPlaneParts } from '../testing/parts';
import { Reconciler } from './reconciler';

function setUp() {
  const parts = controlPlaneParts({ cancelGraceSeconds: 7 });
  const reconciler = new Reconciler(
    parts.jobs,
    parts.policy,
    parts.pending,
    parts.dispatch,
    parts.config,
    parts.logger,
    parts.metrics,
  );
  return { ...parts, reconciler };
}

const RESTORED = 'reconciler restored entries missing from Redis';

describe('Reconciler', () => {
  it('re-adds pending jobs missing from the index, and only pending ones', async () => {
    const { reconciler, jobs, pending, log } = setUp();
    jobs.add(aPendingJob('job_a', { priority: 5, submittedAt: 42 }));
    jobs.add(aPendingJob('job_b'));
    jobs.add(aPendingJob('job_done', { state: 'succeeded' }));
    await pending.add([{ jobId: 'job_b', priority: 100, submittedAt: 1_000 }]);

    expect(await reconciler.run()).toEqual({ pending: 1, runs: 0, stops: 0 });
    expect(pending.ids()).toEqual(['job_a', 'job_b']);
    expect(pending.entries.get('job_a')).toEqual({ jobId: 'job_a', priority: 5, submittedAt: 42 });
    expect(log.withMessage(RESTORED)).toMatchObject([{ pending: 1, runs: 0, stops: 0 }]);
  });

  it('pages through every pending job', async () => {
    const { reconciler, jobs, pending } = setUp();
    for (let i = 0; i < 2_345; i++) jobs.add(aPendingJob(`job_${String(i).padStart(5, '0')}`));
    expect((await reconciler.run()).pending).toBe(2_345);
    expect(await pending.size()).toBe(2_345);
  });

  it('enqueues run orders for dispatching attempts that have none queued', async () => {
    const { reconciler, jobs, dispatch } = setUp();
    jobs.add(
      aPendingJob('job_lost_order', { state: 'scheduled', attempt: 2 }),
      anAttempt('job_lost_order', 2, 'n1'),
    );
    jobs.add(
      aPendingJob('job_queued', { state: 'scheduled', attempt: 1 }),
      anAttempt('job_queued', 1, 'n2'),
    );
    jobs.add(
      aPendingJob('job_running', { state: 'running', attempt: 1 }),
      anAttempt('job_running', 1, 'n1', { state: 'running' }),
    );
    await dispatch.enqueue({ kind: 'run', jobId: 'job_queued', attempt: 1, rank: 0, nodeId: 'n2' });

    expect(await reconciler.run()).toEqual({ pending: 0, runs: 1, stops: 0 });
    expect(dispatch.enqueued.slice(1)).toEqual([
      { kind: 'run', jobId: 'job_lost_order', attempt: 2, rank: 0, nodeId: 'n1' },
    ]);
  });

  it('enqueues stop orders for attempts of cancelling jobs that have none queued', async () => {
    const { reconciler, jobs, dispatch } = setUp();
    jobs.add(
      aPendingJob('job_c', { state: 'cancelling', attempt: 1 }),
      anAttempt('job_c', 1, 'n1', { state: 'running' }),
    );
    jobs.add(
      aPendingJob('job_d', { state: 'cancelling', attempt: 3 }),
      anAttempt('job_d', 3, 'n2', { state: 'running' }),
    );
    const queued = {
      kind: 'stop',
      jobId: 'job_d',
      attempt: 3,
      rank: 0,
      nodeId: 'n2',
      graceSeconds: 7,
      reason: 'Cancelled',
    } as const;
    await dispatch.enqueue(queued);

    expect(await reconciler.run()).toEqual({ pending: 0, runs: 0, stops: 1 });
    expect(dispatch.enqueued).toEqual([
      queued,
      {
        kind: 'stop',
        jobId: 'job_c',
        attempt: 1,
        rank: 0,
        nodeId: 'n1',
        graceSeconds: 7,
        reason: 'Cancelled',
      },
    ]);
  });

  it('reports nothing when Redis misses nothing', async () => {
    const { reconciler, jobs, pending, log } = setUp();
    jobs.add(aPendingJob('job_a'));
    await pending.add([{ jobId: 'job_a', priority: 100, submittedAt: 1_000 }]);
    expect(await reconciler.run()).toEqual({ pending: 0, runs: 0, stops: 0 });
    expect(log.withMessage(RESTORED)).toEqual([]);
  });

  it('resends the stop order of a preempted attempt with its class grace period', async () => {
    const { reconciler, jobs, dispatch } = setUp();
    jobs.add(
      aPendingJob('job_p', { state: 'running', attempt: 2 }),
      anAttempt('job_p', 2, 'n1', { state: 'running', stopReason: 'Preempted' }),
    );
    expect(await reconciler.run()).toEqual({ pending: 0, runs: 0, stops: 1 });
    expect(dispatch.enqueued).toEqual([
      {
        kind: 'stop',
        jobId: 'job_p',
        attempt: 2,
        rank: 0,
        nodeId: 'n1',
        graceSeconds: 60,
        reason: 'Preempted',
      },
    ]);
    expect(await reconciler.run()).toEqual({ pending: 0, runs: 0, stops: 0 });
  });
});
