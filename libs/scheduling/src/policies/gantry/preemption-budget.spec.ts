/**
 * A gang search works out which nodes it would visit before rating any victims, so that one
 * that would run out of node visits ends at once. This checks it against the rule the search
 * kept before: visit the eligible nodes in order, and end with nothing as soon as the budget is
 * spent while a node is left to look at (fast-check, random clusters and budgets).
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES } from '../../model';
import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { NodeIndex } from './node-index';
import { VictimFinder } from './preemption';
import { QuotaTracker } from './quota';

const NOW = 10_000_000;
const classes = new Map(DEFAULT_PRIORITY_CLASSES.map((c) => [c.name, c]));

const scenario = fc.record({
  // every node full with one background job a serving gang may preempt; `eligible` decides
  // (as the search's `usable`) which nodes it may look at
  nodes: fc.array(fc.record({ domain: fc.constantFrom('a', 'b', 'c'), eligible: fc.boolean() }), {
    minLength: 1,
    maxLength: 12,
  }),
  gang: fc.integer({ min: 2, max: 3 }),
  budget: fc.integer({ min: 0, max: 14 }),
  spentBefore: fc.integer({ min: 0, max: 3 }),
});

describe('VictimFinder: a gang search within the budget of node visits', () => {
  it('ends with nothing exactly when it would spend the budget with nodes left to look at', () => {
    fc.assert(
      fc.property(scenario, ({ nodes, gang, budget, spentBefore }) => {
        const cluster = aCluster();
        nodes.forEach((n, i) => {
          cluster.node(aNode(`n${i}`).gpus(4).fabric(n.domain));
          cluster.running(aRunningJob(`r${i}`).on(`n${i}`, [0, 1, 2, 3]).cls('background'));
        });
        const snapshot = cluster.pending(aJob('vip').gang(gang, 4).cls('serving')).snapshot(NOW);
        const finder = (limit: number): VictimFinder => {
          const index = new NodeIndex(snapshot);
          const quota = new QuotaTracker(snapshot.queues, index.holdings.heldByQueue);
          return new VictimFinder(index, classes, quota, NOW, 3, limit);
        };
        const usable = (state: { position: number }): boolean => nodes[state.position]!.eligible;
        const search = (f: VictimFinder) =>
          f.find(snapshot.pending[0]!, 'H100-80GB', false, true, usable);
        // A first search of single-node jobs' kind spends `spentBefore` visits of the budget.
        const limited = finder(budget);
        const warmUp = aJob('warm-up').gpus(4).cls('serving').build();
        for (let i = 0; i < spentBefore; i++)
          limited.find(warmUp, 'H100-80GB', false, true, (s) => s.position === i);
        const left = Math.max(0, budget - Math.min(spentBefore, nodes.length));
        // The rule: the eligible nodes in domain order; out of budget with a node left: nothing.
        const order = [...new NodeIndex(snapshot).domains.values()].flat();
        const visits = order.map((s) => nodes[s.position]!.eligible);
        const lastVisit = visits.reduce((at, e, i) => (e ? i : at), -1);
        const eligible = visits.filter(Boolean).length;
        const runsOut = eligible > left || (eligible === left && lastVisit < order.length - 1);
        const got = search(limited);
        if (runsOut) expect(got).toBeUndefined();
        else {
          const want = search(finder(Number.POSITIVE_INFINITY));
          expect(got?.nodes.map((s) => s.node.id)).toEqual(want?.nodes.map((s) => s.node.id));
          expect(got?.victims.map((v) => v.job.id)).toEqual(want?.victims.map((v) => v.job.id));
        }
        expect(limited.exhausted).toBe(eligible >= left);
      }),
      { numRuns: 500 },
    );
  });
});
