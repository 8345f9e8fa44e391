/**
 * Invariants of outbidding (ADR 12) on random clusters of interruptible leases, internal jobs
 * and bids (fast-check): a lease is preempted only for a higher class or a strictly higher bid
 * of its own class, never twice nor once told to stop, and on each node the lowest bids go first.
 */
import fc from 'fast-check';
import { LEASE_CLASSES } from '@gantry/domain';
import { DEFAULT_PRIORITY_CLASSES, type ClusterSnapshot } from '../../model';
import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const LEASE = { ...LEASE_CLASSES[2], gracePeriodSeconds: 120 };
const QUEUE = 'market-interruptible';
const NOW = 100 * 60_000;

const scenario = fc
  .record({
    nodes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 5 }),
    running: fc.array(
      fc.record({
        node: fc.nat(),
        gpus: fc.integer({ min: 1, max: 4 }),
        bid: fc.integer({ min: 0, max: 12 }), // a narrow range: equal bids are common
        internal: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
        stopping: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
      { maxLength: 20 },
    ),
    pending: fc.array(
      fc.record({
        nodes: fc.integer({ min: 1, max: 2 }),
        gpus: fc.integer({ min: 1, max: 6 }),
        bid: fc.integer({ min: 0, max: 12 }),
        internal: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ nodes, running, pending }): ClusterSnapshot => {
    const cluster = aCluster().classes([...DEFAULT_PRIORITY_CLASSES, LEASE]);
    nodes.forEach((gpus, i) =>
      cluster.node(
        aNode(`n${i}`)
          .gpus(gpus)
          .fabric(`f${i % 2}`),
      ),
    );
    const free = nodes.map((gpus) => Array.from({ length: gpus }, (_, g) => g));
    running.forEach((r, i) => {
      const n = r.node % nodes.length;
      const take = free[n]!.splice(0, r.gpus);
      if (take.length === 0) return;
      const job = r.internal
        ? aRunningJob(`r${i}`).on(`n${n}`, take).cls('batch').queue('team')
        : aRunningJob(`r${i}`).on(`n${n}`, take).cls(LEASE.name).queue(QUEUE).priority(r.bid);
      cluster.running(r.stopping ? job.stopping() : job);
    });
    pending.forEach((p, i) =>
      cluster.pending(
        p.internal
          ? aJob(`p${i}`).gang(p.nodes, p.gpus).cls('batch').queue('team')
          : aJob(`p${i}`).gang(p.nodes, p.gpus).cls(LEASE.name).queue(QUEUE).priority(p.bid),
      ),
    );
    return cluster.snapshot(NOW);
  });

describe('outbidding on random clusters', () => {
  it('takes only strictly lower bids of its own class, each once, never one told to stop, lowest first per node', () => {
    fc.assert(
      fc.property(scenario, (snapshot) => {
        const decision = gantryPolicy.decide(snapshot);
        const taken = new Set(decision.preemptions.map((p) => p.jobId));
        expect(taken.size).toBe(decision.preemptions.length);
        for (const p of decision.preemptions) {
          const victim = snapshot.running.find((j) => j.id === p.jobId)!;
          const preemptor = snapshot.pending.find((j) => j.id === p.forJobId)!;
          expect(victim.stopping).toBe(false);
          expect(victim.priorityClass).toBe(LEASE.name); // internal work is never taken here
          if (preemptor.priorityClass === LEASE.name) {
            expect(victim.priority).toBeLessThan(preemptor.priority);
            expect(p.gracePeriodSeconds).toBe(LEASE.gracePeriodSeconds);
            // On the victim's node, every lease of a lower bid than it was taken too.
            const node = victim.allocations[0]!.nodeId;
            const lower = snapshot.running.filter(
              (j) =>
                j.priorityClass === LEASE.name &&
                !j.stopping &&
                j.priority < victim.priority &&
                j.allocations.some((a) => a.nodeId === node),
            );
            for (const j of lower) expect(taken.has(j.id)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the scenarios do outbid (the property above is not vacuous)', () => {
    const outbids = fc
      .sample(scenario, { numRuns: 400, seed: 7 })
      .map((snapshot) => gantryPolicy.decide(snapshot))
      .filter((d) => d.preemptions.some((p) => p.message.includes('a higher bid'))).length;
    expect(outbids).toBeGreaterThan(20); // 31 of 400 with this seed
  });
});
