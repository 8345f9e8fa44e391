import type { JobRecord } from '@gantry/domain';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts } from '../testing/parts';
import { InMemoryLeaderLease } from '../testing/redis-ports';
import { schedulingParts } from '../testing/scheduling';
import { LeaderLoop } from './leader-loop.service';
import { Leadership } from './leadership.service';
import { NodeLivenessCheck } from './node-liveness-check';
import { Reconciler } from './reconciler';
import type { WorkloadController } from '../workloads/workload-controller';
import type { MarketSteps } from '../market/market-steps';

const NO_WRITE = {
  placements: [],
  waiting: [],
  preemptions: [],
  nominations: [],
  dependencyFailures: [],
};

/** The leader loop over in-memory ports, its timers and clock faked by Jest. */
function setUp() {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  const parts = controlPlaneParts({ schedulerIntervalSeconds: 1, leaderLeaseSeconds: 3 });
  const clock = { now: () => Date.now() };
  const lease = new InMemoryLeaderLease(() => parts.jobs.fence);
  const { cycle, estimates, usage } = schedulingParts(parts, clock);
  const reconciler = new Reconciler(
    parts.jobs,
    parts.policy,
    parts.pending,
    parts.dispatch,
    parts.config,
    parts.logger,
    parts.metrics,
  );
  const liveness = new NodeLivenessCheck(
    parts.nodes,
    parts.liveness,
    parts.config,
    clock,
    parts.logger,
    parts.effects,
    parts.metrics,
  );
  // The workload controller's own behaviour is tested with its drivers; here, that it runs.
  const workloads = { runs: 0, run: async () => ++workloads.runs };
  const loop = new LeaderLoop(
    new Leadership(lease, parts.config, parts.logger),
    cycle,
    reconciler,
    liveness,
    estimates,
    usage,
    workloads as unknown as WorkloadController,
    { run: async () => undefined } as unknown as MarketSteps,
    parts.metrics,
    parts.signals,
    parts.config,
    clock,
    parts.logger,
  );
  parts.nodes.add(aNode('n1', { gpus: 8 }));
  return { ...parts, lease, loop, workloads };
}

/** A job that succeeded at `endedAt` after running 4 s. */
function finished(parts: ReturnType<typeof setUp>, id: string, endedAt: number): void {
  parts.jobs.add(
    aPendingJob(id, { state: 'succeeded', attempt: 1, endedAt }),
    anAttempt(id, 1, 'n1', { state: 'succeeded', startedAt: endedAt - 4_000, endedAt }),
  );
}

/** Moves fake time on a millisecond at a time until `condition` holds (at most `ms`). */
async function within(ms: number, condition: () => boolean): Promise<void> {
  for (let waited = 0; waited < ms && !condition(); waited++)
    await jest.advanceTimersByTimeAsync(1);
  expect(condition()).toBe(true);
}

describe('LeaderLoop', () => {
  let stop: () => Promise<void> = async () => undefined;

  afterEach(async () => {
    await stop();
    jest.useRealTimers();
  });

  function submit(parts: ReturnType<typeof setUp>, job: JobRecord): Promise<void> {
    parts.jobs.add(job);
    return parts.effects.changed([
      { id: job.id, state: job.state, priority: job.spec.priority, submittedAt: job.submittedAt },
    ]);
  }

  it('once elected, schedules with its fence, and again at once when woken', async () => {
    const parts = setUp();
    stop = () => parts.loop.onModuleDestroy();
    await submit(parts, aPendingJob('job_a'));
    parts.loop.onApplicationBootstrap();

    await within(100, () => parts.dispatch.orders().length === 1);
    expect(parts.jobs.commits.map((c) => c.fence)).toEqual([1]);
    expect((await parts.metrics.isLeader.get()).values[0]?.value).toBe(1);

    const started = Date.now();
    await submit(parts, aPendingJob('job_b')); // wakes the scheduler through the signals
    await within(100, () => parts.dispatch.orders().length === 2);
    expect(Date.now() - started).toBeLessThan(parts.config.schedulerIntervalSeconds * 1000);
  });

  it('moves batch and RL jobs on before scheduling, at once when woken, else every interval', async () => {
    const parts = setUp();
    stop = () => parts.loop.onModuleDestroy();
    parts.loop.onApplicationBootstrap();
    await within(100, () => parts.workloads.runs === 1);
    await submit(parts, aPendingJob('job_a')); // a wake-up
    await within(100, () => parts.workloads.runs === 2);
    const before = parts.workloads.runs;
    await jest.advanceTimersByTimeAsync(parts.config.workloadIntervalSeconds * 1000 + 1100);
    expect(parts.workloads.runs).toBeGreaterThan(before);
  });

  it('steps down when a newer leader has written, gives the lease back, and comes back above its fence', async () => {
    const parts = setUp();
    stop = () => parts.loop.onModuleDestroy();
    finished(parts, 'job_done', 5_000);
    parts.loop.onApplicationBootstrap();
    await within(100, () => parts.log.withMessage('elected scheduler leader').length === 1);
    await parts.jobs.commitCycle(41, NO_WRITE, 0); // meanwhile another replica led with fence 41
    await submit(parts, aPendingJob('job_a'));

    await within(100, () => parts.lease.released.includes(1));
    expect(parts.log.withMessage('a newer leader has written; stepping down')).toHaveLength(1);
    expect((await parts.metrics.isLeader.get()).values[0]?.value).toBe(0);
    expect(parts.dispatch.orders()).toEqual([]);

    await within(10_000, () => parts.dispatch.orders().length === 1);
    expect(parts.jobs.commits.at(-1)?.fence).toBe(42);
    // the new term learns runtime estimates from the start again
    expect(parts.jobs.finishedRunQueries.filter((q) => q.since === 0)).toHaveLength(2);
  });

  it('learns runtime estimates with each reconcile, from where it left off', async () => {
    const parts = setUp();
    stop = () => parts.loop.onModuleDestroy();
    finished(parts, 'job_done', 5_000);
    parts.loop.onApplicationBootstrap();
    await within(100, () => parts.jobs.finishedRunQueries.length === 1);
    expect(parts.jobs.finishedRunQueries).toEqual([{ since: 0, limit: 5000 }]);

    await within(parts.config.reconcileIntervalSeconds * 1000 + 100, () => {
      return parts.jobs.finishedRunQueries.length === 2;
    });
    expect(parts.jobs.finishedRunQueries[1]).toEqual({ since: 5_000, limit: 5000 });
  });

  it('stops its loop and gives the lease up on shutdown', async () => {
    const parts = setUp();
    parts.loop.onApplicationBootstrap();
    await within(
      100,
      () =>
        parts.jobs.commits.length > 0 ||
        parts.log.withMessage('elected scheduler leader').length === 1,
    );
    await parts.loop.onModuleDestroy();
    expect(parts.lease.released).toEqual([1]);
    await submit(parts, aPendingJob('job_late'));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(parts.dispatch.orders()).toEqual([]);
  });
});
