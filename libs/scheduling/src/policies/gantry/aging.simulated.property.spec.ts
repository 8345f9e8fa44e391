/**
 * Aging in simulated time, on random small overloaded traces of one queue (ADR 12): with a short
 * starvation age, no job waits (in all, waits after preemptions included) longer than the bound
 * the rule gives where no other queue's guarantee stands in the way: the age, then the warrant
 * (preemptAfterWaitSeconds), the victims' minimum runtime and grace period, and, when the GPUs it
 * could take are held by jobs that started after starving themselves, their runs (the test allows
 * twice the longest; see the bound below).
 * Without aging (the same traces, an age never reached) the property fails: the test is not idle.
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES } from '../../model';
import { runSmall, simJob } from '../../simulator/testing/sim-fixtures';
import { gantryPolicy } from './policy';

const AGE = 600;
const WARRANT = 300;
const LONGEST_RUN = 2_000;
const minRuntime = Math.max(...DEFAULT_PRIORITY_CLASSES.map((c) => c.minRuntimeSeconds));
const grace = Math.max(...DEFAULT_PRIORITY_CLASSES.map((c) => c.gracePeriodSeconds));

const job = fc.record({
  submitAt: fc.integer({ min: 0, max: 3_000 }),
  duration: fc.integer({ min: 1, max: LONGEST_RUN }),
  gpus: fc.constantFrom(1, 1, 2, 4),
  cls: fc.constantFrom('batch', 'batch', 'rl-rollout', 'background'),
});

describe('aging in simulated time (random small traces)', () => {
  it('bounds every job’s wait by age + warrant + minimum runtime + grace + twice the longest run', () => {
    // The longest run twice: a job that started starving before it (never its victim) and one
    // that started ahead of it on a short estimate while it was reserving; + 1 s: the replay's
    // events are whole seconds.
    const bound = AGE + WARRANT + minRuntime + grace + 2 * LONGEST_RUN + 1;
    fc.assert(
      fc.property(fc.array(job, { minLength: 20, maxLength: 80 }), (drawn) => {
        const jobs = [...drawn]
          .sort((x, y) => x.submitAt - y.submitAt)
          .map((j, i) =>
            simJob(`j${i}`, j.submitAt, j.duration, j.gpus, {
              cls: j.cls,
              nodeSize: 4,
            }),
          );
        const result = runSmall({
          cluster: '2x4xV100',
          policy: gantryPolicy,
          jobs,
          checkpointIntervalSeconds: 300,
          config: { starvationAgeSeconds: AGE, preemptAfterWaitSeconds: WARRANT },
        });
        expect(result.unfinished).toEqual([]);
        for (const record of result.records) expect(record.waitSeconds).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 25, seed: 12, endOnFailure: true },
    );
  });
});
