import { gpuCountKind, remainingEstimate, RuntimeEstimator } from './runtime-estimator';

describe('runtime estimator', () => {
  it.each([
    [1, 'gpus:1'],
    [2, 'gpus:2-4'],
    [4, 'gpus:2-4'],
    [5, 'gpus:5-8'],
    [8, 'gpus:5-8'],
    [9, 'gpus:9+'],
    [128, 'gpus:9+'],
  ])('buckets %i GPUs as %s', (gpus, kind) => {
    expect(gpuCountKind(gpus)).toBe(kind);
  });

  it('uses the time limit when a job has one', () => {
    const estimator = new RuntimeEstimator();
    for (const s of [10, 20, 30]) estimator.record('t', 'k', s);
    expect(estimator.estimate('t', 'k', 7200)).toBe(7200);
  });

  it('falls back from tenant and kind, to the kind, to the default', () => {
    const estimator = new RuntimeEstimator({ minSamples: 2, defaultSeconds: 999 });
    expect(estimator.estimate('a', 'k')).toBe(999);
    estimator.record('b', 'k', 100);
    expect(estimator.estimate('a', 'k')).toBe(999);
    estimator.record('b', 'k', 300);
    expect(estimator.estimate('a', 'k')).toBe(200); // the kind's median (100, 300)
    estimator.record('a', 'k', 50);
    expect(estimator.estimate('a', 'k')).toBe(100); // still the kind's: a has one sample
    estimator.record('a', 'k', 70);
    expect(estimator.estimate('a', 'k')).toBe(60); // a's own median (50, 70)
    expect(estimator.estimate('a', 'other')).toBe(999);
  });

  it('takes the median of a sliding window, so one huge job does not move it', () => {
    const estimator = new RuntimeEstimator({ window: 3, minSamples: 1 });
    for (const s of [100, 110, 1_000_000]) estimator.record('t', 'k', s);
    expect(estimator.estimate('t', 'k')).toBe(110);
    estimator.record('t', 'k', 5); // the window is now 110, 1e6, 5
    expect(estimator.estimate('t', 'k')).toBe(110);
    estimator.record('t', 'k', 6); // 1e6, 5, 6
    expect(estimator.estimate('t', 'k')).toBe(6);
  });

  it('counts changes and resolves keys once for repeated look-ups', () => {
    const estimator = new RuntimeEstimator({ minSamples: 1 });
    const key = estimator.keyOf('t', 'k');
    expect(estimator.estimateFor(key)).toBe(3600);
    const before = estimator.version;
    estimator.record('t', 'k', 42);
    expect(estimator.version).toBe(before + 1);
    expect(estimator.estimateFor(key)).toBe(42);
  });

  it('rejects bad options and run times', () => {
    expect(() => new RuntimeEstimator({ window: 0 })).toThrow(/window/);
    expect(() => new RuntimeEstimator({ window: 2, minSamples: 3 })).toThrow(/minSamples/);
    expect(() => new RuntimeEstimator({ defaultSeconds: 0 })).toThrow(/defaultSeconds/);
    expect(() => new RuntimeEstimator().record('t', 'k', -1)).toThrow(/>= 0/);
  });

  it.each([
    [100, 30, 70],
    [100, 100, 100], // outlived: doubled to 200
    [100, 250, 150], // doubled twice to 400
    [0, 0, 1],
  ])('estimate %i s with %i s done leaves %i s', (estimate, done, left) => {
    expect(remainingEstimate(estimate, done)).toBe(left);
  });
});
