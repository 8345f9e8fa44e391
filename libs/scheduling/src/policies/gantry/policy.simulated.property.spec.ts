/**
 * The Gantry policy in simulated time, on random small traces: no job starves (every job that
 * could ever fit ends), no GPU is held twice, and preemption never loses a job.
 */
import fc from 'fast-check';
import { runSmall, simJob } from '../../simulator/testing/sim-fixtures';
import { gantryPolicy } from './policy';

const job = fc.record({
  submitAt: fc.integer({ min: 0, max: 2_000 }),
  duration: fc.integer({ min: 1, max: 3_000 }),
  gpus: fc.constantFrom(1, 1, 1, 2, 4, 8),
  tenant: fc.constantFrom('a', 'b', 'c'),
});

describe('gantry policy in simulated time (random small traces)', () => {
  it('ends every job that fits (no starvation), holding no GPU twice', () => {
    fc.assert(
      fc.property(fc.array(job, { minLength: 1, maxLength: 30 }), (drawn) => {
        const jobs = [...drawn]
          .sort((x, y) => x.submitAt - y.submitAt)
          .map((j, i) =>
            simJob(`j${i}`, j.submitAt, j.duration, j.gpus, { tenant: j.tenant, nodeSize: 4 }),
          );
        const result = runSmall({ cluster: '4x4xV100/2', policy: gantryPolicy, jobs });
        expect(result.unfinished).toEqual([]);
        expect(new Set(result.records.map((r) => r.id))).toEqual(new Set(jobs.map((j) => j.id)));
        for (const record of result.records) {
          expect(record.firstStartAt).toBeGreaterThanOrEqual(record.submitAt);
          expect(record.endAt).toBeGreaterThan(record.firstStartAt);
        }
        for (const point of result.timeline) expect(point.busyGpus).toBeLessThanOrEqual(16 + 1e-9);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
