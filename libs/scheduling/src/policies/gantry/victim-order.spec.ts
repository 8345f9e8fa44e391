/**
 * The victim order, worked out from the flat holdings, against the same figures worked out job
 * by job: each node's cheapest victim, and the bound a search uses to skip a node (what the node
 * could free at most, which must never be less than what its possible victims hold there).
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES, type RunningJob } from '../../model';
import { aCluster, aNode, aRunningJob } from '../../testing/builders';
import { gpusOn } from './holdings';
import { NodeIndex } from './node-index';
import { lostWork, priorityMayTake } from './victim-facts';
import { VictimOrder } from './victim-order';

const NOW = 10_000_000;
const MODEL = 'H100-80GB';
const classes = new Map(DEFAULT_PRIORITY_CLASSES.map((c) => [c.name, c]));

const scenario = fc.array(
  fc.record({
    node: fc.nat({ max: 5 }),
    second: fc.option(fc.nat({ max: 5 })), // a job on two nodes (or twice on one)
    gpus: fc.integer({ min: 1, max: 3 }),
    cls: fc.constantFrom('serving', 'batch', 'rl-rollout', 'background', 'unknown'),
    model: fc.constantFrom(MODEL, MODEL, 'A100'),
    age: fc.integer({ min: 0, max: 3600 }),
    stopping: fc.boolean(),
  }),
  { maxLength: 14 },
);

/** A job as a victim, job by job: the figures the order must agree with. */
function asVictim(job: RunningJob, priorityOnly: boolean) {
  const cls = classes.get(job.priorityClass);
  if (job.stopping || job.gpuModel !== MODEL || !cls?.preemptible) return undefined;
  if (priorityOnly && !priorityMayTake(job, cls, NOW, 3)) return undefined;
  const gpus = job.allocations.reduce((n, a) => n + a.gpuIndices.length, 0);
  return { tier: cls.priority, lost: lostWork(job, gpus, NOW) };
}

describe('VictimOrder', () => {
  it('agrees with the figures worked out job by job, for both kinds of search', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (drawn, priorityOnly) => {
        const cluster = aCluster();
        for (let n = 0; n < 6; n++) cluster.node(aNode(`n${n}`).gpus(16).fabric('a'));
        const next = Array.from({ length: 6 }, () => 0);
        const take = (n: number, gpus: number) => {
          const indices = Array.from({ length: gpus }, (_, i) => (next[n]! + i) % 16);
          next[n]! += gpus;
          return indices;
        };
        drawn.forEach((d, i) => {
          let job = aRunningJob(`r${i}`).on(`n${d.node}`, take(d.node, d.gpus));
          if (d.second !== null) job = job.on(`n${d.second}`, take(d.second, d.gpus));
          job = job
            .cls(d.cls)
            .model(d.model)
            .started(NOW - d.age * 1000);
          cluster.running(d.stopping ? job.stopping() : job);
        });
        const snapshot = cluster.snapshot(NOW);
        const index = new NodeIndex(snapshot);
        const order = new VictimOrder(index, MODEL, priorityOnly);
        for (const state of index.all) {
          const jobs = snapshot.running.filter((j) =>
            j.allocations.some((a) => a.nodeId === state.node.id),
          );
          const here = jobs.flatMap((j) =>
            j.allocations.filter((a) => a.nodeId === state.node.id).map(() => j),
          );
          const victims = here.map((j) => asVictim(j, priorityOnly));
          const counted = victims.filter((v) => v !== undefined);
          const cheapest = counted.reduce<{ tier: number; lost: number } | undefined>(
            (best, v) =>
              !best || v.tier < best.tier || (v.tier === best.tier && v.lost < best.lost)
                ? v
                : best,
            undefined,
          );
          const freeing = state.stoppingOf(MODEL) > 0;
          expect(order.tierOf(state)).toBe(freeing ? Number.NEGATIVE_INFINITY : cheapest?.tier);
          for (const below of [undefined, 300, 1000]) {
            const could = here.reduce(
              (n, j, i) =>
                victims[i] && (below === undefined || victims[i].tier < below)
                  ? n + gpusOn(j, state.node.id)
                  : n,
              state.freeCount(MODEL) + state.stoppingOf(MODEL),
            );
            expect(order.mostFreeable(state, below)).toBe(could);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
