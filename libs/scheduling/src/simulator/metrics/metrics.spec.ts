import { createFifoPolicy } from '../../policies/fifo';
import { runSmall, simJob } from '../testing/sim-fixtures';
import { computeFigures, slowdown } from './metrics';
import { jainIndex, percentile, percentiles } from './stats';

describe('figures of a small golden trace, computed by hand (FIFO, one node of 4 GPUs)', () => {
  // t=0    A (2 GPUs, 100 s) starts; B (4 GPUs, 50 s) does not fit and blocks the queue.
  // t=10   C (1 GPU, 30 s) arrives: behind B.   t=20  D (2 GPUs, 40 s) arrives: behind B.
  // t=100  A ends; B starts.   t=150  B ends; C and D start.   t=180  C ends.   t=190  D ends.
  const result = runSmall({
    cluster: '1x4xV100',
    policy: createFifoPolicy(),
    jobs: [
      simJob('A', 0, 100, 2, { tenant: 'x' }),
      simJob('B', 0, 50, 4, { tenant: 'x' }),
      simJob('C', 10, 30, 1, { tenant: 'y' }),
      simJob('D', 20, 40, 2, { tenant: 'y' }),
    ],
  });
  const { figures, tenants } = computeFigures(result);

  it('has each job start and end when worked out above', () => {
    expect(result.records.map((r) => [r.id, r.firstStartAt, r.endAt])).toEqual([
      ['A', 0, 100],
      ['B', 100, 150],
      ['C', 150, 180],
      ['D', 150, 190],
    ]);
  });

  it('has the JCTs, queueing delays and waits of the schedule', () => {
    // JCT: A 100, B 150, C 170, D 170; delays: 0, 100, 140, 130.
    expect(figures.avgJct).toBe((100 + 150 + 170 + 170) / 4);
    expect([figures.p50Jct, figures.p95Jct, figures.p99Jct]).toEqual([150, 170, 170]);
    expect(figures.avgQueueDelay).toBe((0 + 100 + 140 + 130) / 4);
    expect(figures.p95QueueDelay).toBe(140);
    expect(figures.longestWait).toBe(140);
  });

  it('has the utilization and makespan of the schedule', () => {
    // Busy GPU-seconds: 2x100 + 4x50 + 1x30 + 2x40 = 510, over 4 GPUs x 190 s.
    expect(figures.makespan).toBe(190);
    expect(figures.utilization).toBeCloseTo(510 / (4 * 190), 12);
  });

  it("has the slowdowns and Jain's fairness over tenants", () => {
    // Slowdowns: A 100/100, B 150/50, C 170/30, D 170/40. x: mean(1, 3) = 2; y: mean(5.667, 4.25).
    const y = (170 / 30 + 170 / 40) / 2;
    expect(tenants.map((t) => [t.tenant, t.jobs])).toEqual([
      ['x', 2],
      ['y', 2],
    ]);
    expect(tenants[0]!.avgSlowdown).toBe(2);
    expect(tenants[1]!.avgSlowdown).toBeCloseTo(y, 12);
    const inverse = [1 / 2, 1 / y];
    const jain = (inverse[0]! + inverse[1]!) ** 2 / (2 * (inverse[0]! ** 2 + inverse[1]! ** 2));
    expect(figures.jainFairness).toBeCloseTo(jain, 12);
    expect(figures.worstTenantSlowdown).toBeCloseTo(y, 12);
    expect(figures.avgSlowdown).toBeCloseTo((1 + 3 + 170 / 30 + 170 / 40) / 4, 12);
  });

  it('counts no preemption and one cycle per event time with pending jobs', () => {
    expect(figures.preemptions).toBe(0);
    expect(figures.lostGpuHours).toBe(0);
    // Cycles at t = 0, 10, 20, 100, 150 (not at 180 or 190: nothing pending).
    expect(figures.cycles).toBe(5);
    expect(figures.cycleCpuMsAvg).toBe(1); // the fake CPU clock ticks 1 ms per reading
  });
});

describe('statistics', () => {
  it.each([
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 75, 3],
    [[1, 2, 3, 4], 100, 4],
    [[7], 99, 7],
    [[], 50, 0],
  ])('nearest-rank percentile of %o at p%i is %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('takes several percentiles with one sort', () => {
    expect(percentiles([5, 1, 4, 2, 3], [20, 60, 100])).toEqual([1, 3, 5]);
  });

  it("has Jain's index 1 for equal shares and 1/n for one taking all", () => {
    expect(jainIndex([2, 2, 2])).toBe(1);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([])).toBe(1);
  });

  it('bounds slowdowns below at 1 and short durations at 10 s', () => {
    expect(slowdown({ submitAt: 0, endAt: 60, duration: 1 })).toBe(6);
    expect(slowdown({ submitAt: 0, endAt: 2, duration: 2 })).toBe(1);
  });
});
