/**
 * The running jobs' facts kept from the last cycle (running-facts.ts) against the same facts
 * worked out from scratch, over random sequences of snapshots as a scheduler gives them: jobs
 * ending, starting (at the end, or anywhere), told to stop (a new object), lists reordered,
 * allocations on nodes not listed, odd GPU indices, unknown classes; and the holdings built
 * from either, at random clocks. Also the list diff on its own: it finds only items that are
 * there, in order.
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES, type PriorityClass, type RunningJob } from '../../model';
import { Holdings } from './holdings';
import { ListDiff } from './list-diff';
import { RunningFacts } from './running-facts';

const NODES = ['n0', 'n1', 'n2', 'n3', 'n4'];
const positions = new Map(NODES.map((id, n) => [id, n]));
const classList: readonly PriorityClass[] = DEFAULT_PRIORITY_CLASSES;
const classes = new Map(classList.map((c) => [c.name, c]));
const factRules = { classList, classes, maxPerJob: 3 };

const aJob = fc.record({
  cls: fc.constantFrom('serving', 'batch', 'rl-rollout', 'background', 'unknown'),
  queue: fc.constantFrom('a', 'b', 'c'),
  model: fc.constantFrom('H100', 'A100'),
  allocations: fc.array(
    fc.record({
      node: fc.constantFrom(...NODES, 'gone'),
      gpus: fc.array(fc.oneof(fc.nat({ max: 7 }), fc.constantFrom(31, 40, -1, 2.5)), {
        maxLength: 3,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  startedAt: fc.integer({ min: 0, max: 5_000_000 }),
  checkpoint: fc.option(fc.integer({ min: 0, max: 5_000_000 })),
  end: fc.option(fc.integer({ min: 0, max: 9_000_000 })),
  protectedUntil: fc.integer({ min: 0, max: 6_000_000 }),
  stopping: fc.boolean(),
  preemptions: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
});

type Drawn = typeof aJob extends fc.Arbitrary<infer T> ? T : never;

let next = 0;
function job(drawn: Drawn): RunningJob {
  // Not a literal returned as is: `priority` (a running job's bid, on main) is not checked here.
  const view = {
    priority: 0,
    id: `r${next++}`,
    queue: drawn.queue,
    tenant: drawn.queue,
    priorityClass: drawn.cls,
    shape: { nodes: drawn.allocations.length, gpusPerNode: 1, gpuModel: null },
    allocations: drawn.allocations.map((a) => ({ nodeId: a.node, gpuIndices: a.gpus })),
    gpuModel: drawn.model,
    startedAt: drawn.startedAt,
    expectedEndAt: drawn.end,
    lastCheckpointAt: drawn.checkpoint,
    protectedUntil: drawn.protectedUntil,
    stopping: drawn.stopping,
    preemptions: drawn.preemptions,
  };
  return view;
}

/** One step of the world between two cycles. */
const aStep = fc.record({
  ended: fc.array(fc.nat(), { maxLength: 4 }),
  stopped: fc.array(fc.nat(), { maxLength: 2 }),
  started: fc.array(aJob, { maxLength: 4 }),
  inserted: fc.option(fc.tuple(fc.nat(), aJob)),
  reversed: fc.boolean(),
  now: fc.integer({ min: 0, max: 9_000_000 }),
});

function holdingsOf(facts: RunningFacts, now: number) {
  const holdings = new Holdings(facts, NODES.length, {
    classes,
    now,
    maxPerJob: 3,
    opportunisticBelow: 0,
  });
  return {
    jobs: holdings.jobs.map((j) => j.id),
    nodeOf: [...holdings.nodeOf],
    models: [...holdings.models],
    ends: [...holdings.ends],
    sizes: [...holdings.sizes],
    heldOn: [...holdings.heldOn],
    kinds: [...holdings.victimKinds],
    tiers: [...holdings.victimTiers],
    losses: [...holdings.victimLosses],
    order: [...holdings.order],
    start: [...holdings.start],
    stopping: holdings.stopping,
    heldByQueue: [...holdings.heldByQueue].map(([q, m]) => [q, [...m]]),
    runningClasses: [...holdings.runningClasses],
    held: NODES.map((_, n) =>
      [-1, 0, 1, 2, 2.5, 3, 7, 30, 31, 40].filter((i) => holdings.isHeld(n, i)),
    ),
    anyHeld: NODES.map((_, n) => holdings.anyHeld(n)),
  };
}

describe('RunningFacts', () => {
  it('kept from the last cycle equal the facts worked out from scratch, cycle after cycle', () => {
    fc.assert(
      fc.property(
        fc.array(aJob, { maxLength: 12 }),
        fc.array(aStep, { maxLength: 6 }),
        (first, steps) => {
          let running = first.map(job);
          let facts = RunningFacts.build(running, positions, factRules);
          for (const step of steps) {
            const ended = new Set(step.ended.map((i) => running[i % Math.max(1, running.length)]));
            running = running.filter((j) => !ended.has(j));
            for (const i of step.stopped)
              if (running.length > 0) {
                const at = i % running.length;
                running[at] = { ...running[at]!, stopping: true };
              }
            running.push(...step.started.map(job));
            if (step.inserted) {
              const [at, drawn] = step.inserted;
              running.splice(at % (running.length + 1), 0, job(drawn));
            }
            if (step.reversed) running.reverse();
            const kept = RunningFacts.build(running, positions, factRules, facts);
            const fresh = RunningFacts.build(running, positions, factRules);
            expect(holdingsOf(kept, step.now)).toEqual(holdingsOf(fresh, step.now));
            facts = kept;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('are worked out afresh for other nodes, classes or preemption caps', () => {
    const running = [job(fc.sample(aJob, { numRuns: 1, seed: 7 })[0]!)];
    const facts = RunningFacts.build(running, positions, factRules);
    const otherClasses = classList.map((c) => ({ ...c, preemptible: !c.preemptible }));
    const rules = {
      classList: otherClasses,
      classes: new Map(otherClasses.map((c) => [c.name, c])),
      maxPerJob: 3,
    };
    expect(RunningFacts.build(running, positions, rules, facts).mayBeVictim).toEqual(
      RunningFacts.build(running, positions, rules).mayBeVictim,
    );
    const capped = { ...factRules, maxPerJob: 0 };
    expect(RunningFacts.build(running, positions, capped, facts).underCap).toEqual(
      new Uint8Array([0]),
    );
    const moved = new Map(NODES.map((id, n) => [id, NODES.length - 1 - n]));
    expect([...RunningFacts.build(running, moved, factRules, facts).nodeOf]).toEqual([
      ...RunningFacts.build(running, moved, factRules).nodeOf,
    ]);
  });
});

describe('ListDiff', () => {
  it('finds an item only where the last list has it, past the items found before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 200 }), { maxLength: 300 }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 300 }),
        (lastIds, nextIds) => {
          const objects = Array.from({ length: 201 }, (_, i) => ({ i }));
          const last = lastIds.map((i) => objects[i]!);
          const diff = new ListDiff(last);
          let previous = -1;
          for (const i of nextIds) {
            const at = diff.find(objects[i]!);
            if (at < 0) continue;
            expect(last[at]).toBe(objects[i]);
            expect(at).toBeGreaterThan(previous);
            previous = at;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds its way back past a long run of items gone (after a few misses)', () => {
    const objects = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const kept = objects.filter((o) => o.i < 100 || o.i >= 400);
    const diff = new ListDiff(objects);
    const found = kept.map((o) => diff.find(o));
    // The 8 items after the gap miss (lost), then the index by object finds the rest.
    expect(found).toEqual(kept.map((o) => (o.i >= 400 && o.i < 408 ? -1 : o.i)));
    expect(diff.find({ i: -1 })).toBe(-1);
  });
});
