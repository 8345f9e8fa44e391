/**
 * Guaranteed quota is honoured within the reclaim time, in simulated time on random traces: a
 * queue that owns the whole cluster but found it borrowed by another queue's preemptible work
 * gets every job within its guarantee started within the borrowers' longest grace period.
 */
import fc from 'fast-check';
import { DEFAULT_POLICY_CONFIG, DEFAULT_PRIORITY_CLASSES } from '../../model';
import { buildCluster } from '../../simulator/cluster/build-nodes';
import { parseClusterSpec } from '../../simulator/cluster/cluster-spec';
import { runEngine } from '../../simulator/engine/engine';
import { simJob } from '../../simulator/testing/sim-fixtures';
import { buildQueues } from '../../simulator/workload/queues';
import { gantryPolicy } from './policy';

const CLUSTER = '4x4xV100/2'; // 16 GPUs, fabric domains of 2 nodes
const BORROWER_CLASSES = ['batch', 'rl-rollout', 'background'] as const;
const graceOf = (cls: string) =>
  DEFAULT_PRIORITY_CLASSES.find((c) => c.name === cls)!.gracePeriodSeconds;

const borrowed = fc.record({
  submitAt: fc.integer({ min: 0, max: 300 }),
  duration: fc.integer({ min: 5_000, max: 50_000 }),
  gpus: fc.constantFrom(1, 2, 4, 8),
  cls: fc.constantFrom(...BORROWER_CLASSES),
});
/**
 * The owner's jobs arrive together, long after the borrowers took everything. They take whole
 * nodes (4 or 8 GPUs), so they fit the guarantee in any order: with mixed sizes the owner's own
 * first jobs can fragment the nodes its later ones need (bin packing, which no online policy
 * solves optimally), and the later ones then wait for the owner's jobs, not for borrowers.
 */
const owned = fc
  .array(fc.constantFrom(4, 8), { minLength: 1, maxLength: 4 })
  .filter((sizes) => sizes.reduce((a, b) => a + b, 0) <= 16);

describe('gantry policy in simulated time: reclaim', () => {
  it("starts every job within the owner's guarantee within the borrowers' longest grace period", () => {
    fc.assert(
      fc.property(
        fc.array(borrowed, { minLength: 4, maxLength: 20 }),
        owned,
        fc.integer({ min: 1_000, max: 4_000 }),
        (borrowers, sizes, ownerArrives) => {
          const jobs = [
            ...borrowers.map((b, i) =>
              simJob(`b${i}`, b.submitAt, b.duration, b.gpus, {
                tenant: 'borrower',
                cls: b.cls,
                nodeSize: 4,
              }),
            ),
            ...sizes.map((gpus, i) =>
              simJob(`o${i}`, ownerArrives, 600, gpus, { tenant: 'owner', nodeSize: 4 }),
            ),
          ].sort((x, y) => x.submitAt - y.submitAt);
          const cluster = buildCluster(
            parseClusterSpec(CLUSTER),
            DEFAULT_POLICY_CONFIG.fabricLabel,
          );
          const shares = new Map([
            ['owner', 1],
            ['borrower', 0], // no guarantee: everything it runs is borrowed
          ]);
          let cpu = 0;
          const result = runEngine({
            jobs,
            nodes: cluster.nodes,
            queues: buildQueues(shares, cluster.gpusByModel),
            classes: DEFAULT_PRIORITY_CLASSES,
            policy: gantryPolicy,
            config: DEFAULT_POLICY_CONFIG,
            checkpointIntervalSeconds: 0,
            cpuTimeMs: () => (cpu += 1),
          });
          const reclaimSeconds = Math.max(...BORROWER_CLASSES.map(graceOf));
          for (const record of result.records.filter((r) => r.tenant === 'owner'))
            expect(record.firstStartAt - record.submitAt).toBeLessThanOrEqual(reclaimSeconds);
          expect(result.unfinished).toEqual([]);
        },
      ),
      { numRuns: 80, seed: 11 },
    );
  });
});
