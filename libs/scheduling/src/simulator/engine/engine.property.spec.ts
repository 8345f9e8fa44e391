import fc from 'fast-check';
import { createFifoPolicy } from '../../policies/fifo';
import { runSmall, simJob } from '../testing/sim-fixtures';

const job = fc.record({
  submitAt: fc.integer({ min: 0, max: 400 }),
  duration: fc.integer({ min: 0, max: 300 }),
  gpus: fc.integer({ min: 1, max: 16 }),
  tenant: fc.constantFrom('a', 'b', 'c'),
});

describe('engine properties (random small traces under FIFO)', () => {
  it('never holds a GPU twice at once, ends every job once, and runs each for its duration', () => {
    fc.assert(
      fc.property(fc.array(job, { minLength: 1, maxLength: 25 }), (drawn) => {
        const jobs = [...drawn]
          .sort((x, y) => x.submitAt - y.submitAt)
          .map((j, i) =>
            simJob(`j${i}`, j.submitAt, j.duration, j.gpus, { tenant: j.tenant, nodeSize: 4 }),
          );
        // 4 nodes of 4 GPUs, 2 per fabric domain: gangs of up to 2 nodes fit, 3-4 never do.
        const fits = (gpus: number) => gpus <= 8;
        const result = runSmall({ cluster: '4x4xV100/2', policy: createFifoPolicy(), jobs });
        const expected = jobs.filter((j) => fits(j.gpus)).map((j) => j.id);
        expect(result.records.map((r) => r.id)).toEqual(expected);
        expect(result.unfinished).toEqual(jobs.filter((j) => !fits(j.gpus)).map((j) => j.id));
        const spans = new Map<string, [number, number][]>();
        for (const record of result.records) {
          expect(record.runs).toHaveLength(1);
          expect(record.firstStartAt).toBeGreaterThanOrEqual(record.submitAt);
          expect(record.endAt - record.firstStartAt).toBe(record.duration);
          for (const run of record.runs)
            for (const allocation of run.allocations)
              for (const gpu of allocation.gpuIndices) {
                const key = `${allocation.nodeId}/${gpu}`;
                spans.set(key, [...(spans.get(key) ?? []), [run.startAt, run.endAt]]);
              }
        }
        for (const list of spans.values()) {
          const sorted = list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          for (let i = 1; i < sorted.length; i++)
            // Zero-length runs may share an instant; anything longer may not overlap.
            if (sorted[i]![1] > sorted[i]![0])
              expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
        }
        for (const point of result.timeline) expect(point.busyGpus).toBeLessThanOrEqual(16 + 1e-9);
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});
