import { aPendingJob, anAttempt, aSpec } from '../testing/job-records';
import { controlPlaneParts, T0 } from '../testing/parts';
import { jobKind, RuntimeEstimates } from './runtime-estimates.service';

function setUp() {
  const parts = controlPlaneParts({ defaultRuntimeSeconds: 3600 });
  const estimates = new RuntimeEstimates(parts.jobs, parts.config);
  let n = 0;
  /** A job of the tenant that ran `seconds` and ended (succeeded) at `endedAt`. */
  const finished = (tenantId: string, gpus: number, seconds: number, endedAt: number): void => {
    const id = `job_${String(++n).padStart(3, '0')}`;
    parts.jobs.add(
      aPendingJob(id, { tenantId, gpus, state: 'succeeded', attempt: 1, endedAt }),
      anAttempt(id, 1, 'n1', {
        state: 'succeeded',
        startedAt: endedAt - seconds * 1000,
        endedAt,
      }),
    );
  };
  return { ...parts, estimates, finished };
}

const oneGpu = aSpec({ gpus: 1 });

describe('RuntimeEstimates', () => {
  it('expects the configured default before it has learned anything', () => {
    const { estimates } = setUp();
    expect(estimates.estimate('ten_a', oneGpu)).toBe(3600);
  });

  it("learns the median of a tenant's finished runs of a kind, and the kind's for other tenants", async () => {
    const { estimates, finished } = setUp();
    finished('ten_a', 1, 100, 1_000);
    finished('ten_a', 1, 300, 2_000);
    finished('ten_a', 1, 200, 3_000);
    finished('ten_b', 4, 50, 4_000);
    await estimates.refresh();
    expect(estimates.estimate('ten_a', oneGpu)).toBe(200);
    expect(estimates.estimate('ten_c', oneGpu)).toBe(200);
    expect(estimates.estimate('ten_a', aSpec({ gpus: 4 }))).toBe(3600); // one run is too few
  });

  it('lets a time limit win over what it learned', async () => {
    const { estimates, finished } = setUp();
    for (let i = 1; i <= 3; i++) finished('ten_a', 1, 100, i * 1_000);
    await estimates.refresh();
    expect(estimates.estimate('ten_a', aSpec({ gpus: 1, timeLimitSeconds: 900 }))).toBe(900);
  });

  it('follows the newest runs when more ended than it remembers', async () => {
    const { estimates, finished } = setUp();
    for (let i = 1; i <= 20; i++) finished('ten_a', 1, 1000, i * 1_000);
    for (let i = 21; i <= 40; i++) finished('ten_a', 1, 10, i * 1_000);
    await estimates.refresh();
    expect(estimates.estimate('ten_a', oneGpu)).toBe(10);
  });

  it('reads on from the last end it saw, and from the start again after a reset', async () => {
    const { estimates, finished, jobs } = setUp();
    finished('ten_a', 1, 100, 7_000);
    finished('ten_a', 1, 100, 5_000);
    await estimates.refresh();
    await estimates.refresh();
    estimates.reset();
    expect(estimates.estimate('ten_a', oneGpu)).toBe(3600);
    await estimates.refresh();
    expect(jobs.finishedRunQueries.map((q) => q.since)).toEqual([0, 7_000, 0]);
  });

  it('expects a running job to end after the rest of its estimate, an overdue one later still', () => {
    const { estimates } = setUp();
    const limited = aSpec({ timeLimitSeconds: 600 });
    expect(estimates.expectedEnd('ten_a', limited, T0 - 100_000, T0)).toBe(T0 + 500_000);
    // 4,000 s into a 3,600 s estimate: expected to run as long again as the doubled estimate
    expect(estimates.expectedEnd('ten_a', oneGpu, T0 - 4_000_000, T0)).toBe(T0 + 3_200_000);
  });

  it('keys estimates by GPU count bucket', () => {
    expect([1, 2, 4, 8, 16].map((gpus) => jobKind(aSpec({ gpus })))).toEqual([
      'gpus:1',
      'gpus:2-4',
      'gpus:2-4',
      'gpus:5-8',
      'gpus:9+',
    ]);
  });
});
