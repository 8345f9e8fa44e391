/**
 * The pending tiers kept from the last cycle (pending-tiers.ts) against the same tiers split
 * from scratch, over random sequences of pending lists as a scheduler gives them: jobs placed,
 * new ones at the end or anywhere, jobs replaced by a copy with nominated nodes, lists
 * reordered, the clock moving jobs into the starving tier (and back, when the age is raised),
 * ties in submit time and priority, infinities, duplicate ids, unknown classes, now and then a NaN. The
 * from-scratch split is checked against the plain sort in ordering.spec.ts.
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES, type PendingJob, type PriorityClass } from '../../model';
import { jobsOf, PendingTiers } from './pending-tiers';

const classes = new Map(DEFAULT_PRIORITY_CLASSES.map((c) => [c.name, c]));
const classOf = (job: PendingJob): PriorityClass =>
  classes.get(job.priorityClass) ?? classes.get('batch')!;

const aJob = fc.record({
  queue: fc.constantFrom('a', 'b', 'c'),
  cls: fc.constantFrom('serving', 'batch', 'rl-rollout', 'background', 'unknown'),
  priority: fc.oneof(
    { arbitrary: fc.integer({ min: -1, max: 1 }), weight: 40 },
    { arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), weight: 2 },
    { arbitrary: fc.constant(Number.NaN), weight: 1 },
  ),
  submittedAt: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 40 },
    { arbitrary: fc.constant(Number.POSITIVE_INFINITY), weight: 1 },
    { arbitrary: fc.constant(Number.NaN), weight: 1 },
  ),
  waited: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  nominated: fc.boolean(),
  /** Another job's id now and then: ids are unique in a store, not in a test's list. */
  sameId: fc.option(fc.nat(), { freq: 20 }),
});

type Drawn = typeof aJob extends fc.Arbitrary<infer T> ? T : never;

let next = 0;
/** Dense: every job in one queue and class, none starving (long tiers, few jobs sorted in). */
function job(drawn: Drawn, list: readonly PendingJob[], dense = false): PendingJob {
  const twin =
    drawn.sameId === null || list.length === 0 ? undefined : list[drawn.sameId % list.length];
  return {
    id: twin?.id ?? `p${next++}`,
    queue: dense ? 'a' : drawn.queue,
    tenant: drawn.queue,
    priorityClass: dense ? 'batch' : drawn.cls,
    priority: drawn.priority,
    submittedAt: drawn.submittedAt,
    waitingSince: drawn.waited,
    shape: { nodes: 1, gpusPerNode: 1, gpuModel: null },
    estimatedRuntimeSeconds: null,
    nominatedNodeIds: drawn.nominated ? ['n1'] : [],
  };
}

/** One step of the world between two cycles. */
const aStep = fc.record({
  placed: fc.array(fc.nat(), { maxLength: 5 }),
  nominated: fc.array(fc.nat(), { maxLength: 2 }),
  arrived: fc.array(aJob, { maxLength: 5 }),
  inserted: fc.option(fc.tuple(fc.nat(), aJob)),
  reversed: fc.boolean(),
  agedBefore: fc.integer({ min: -1, max: 22 }),
});

type Step = typeof aStep extends fc.Arbitrary<infer T> ? T : never;

function advance(list: readonly PendingJob[], step: Step, dense: boolean): PendingJob[] {
  const placed = new Set(step.placed.map((i) => i % Math.max(1, list.length)));
  const nominated = new Set(step.nominated.map((i) => i % Math.max(1, list.length)));
  let out = list
    .filter((_, i) => !placed.has(i))
    .map((j, i) => (nominated.has(i) ? { ...j, nominatedNodeIds: ['n2'] } : j));
  for (const drawn of step.arrived) out.push(job(drawn, out, dense));
  if (step.inserted) {
    const [at, drawn] = step.inserted;
    out.splice(at % (out.length + 1), 0, job(drawn, out, dense));
  }
  if (step.reversed) out = out.reverse();
  return out;
}

/** The tiers as plain data: job objects as their places in the list (identity, not ids). */
function shape(tiers: PendingTiers, list: readonly PendingJob[]) {
  const place = new Map(list.map((j, i) => [j, i]));
  return {
    byQueue: [...tiers.byQueue]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([queue, list]) => [
        queue,
        list.map((t) => [t.tier, jobsOf(t).map((j) => place.get(j))]),
      ]),
    nominated: tiers.nominated.map((j) => place.get(j)),
    unordered: tiers.unordered,
  };
}

describe('PendingTiers', () => {
  it('kept from the last cycle, splits every list as from scratch', () => {
    fc.assert(
      fc.property(
        fc.array(aJob, { maxLength: 30 }),
        fc.array(aStep, { minLength: 1, maxLength: 8 }),
        // now and then one long tier: the merge then searches for the few jobs sorted in
        fc.boolean(),
        (drawnFirst, steps, dense) => {
          // Dense lists are long enough (> 1,024) for the column pool to hand buffers round.
          const first =
            dense && drawnFirst.length > 0
              ? Array.from({ length: 1100 }, (_, i) => drawnFirst[i % drawnFirst.length]!)
              : drawnFirst;
          let list: PendingJob[] = [];
          for (const drawn of first) list.push(job(drawn, list, dense));
          let kept: PendingTiers | undefined;
          let agedBefore = 10;
          for (const step of [undefined, ...steps]) {
            if (step) {
              list = advance(list, step, dense);
              agedBefore = dense ? -1 : step.agedBefore;
            }
            const incremental = PendingTiers.build(list, classOf, agedBefore, kept);
            // A split lends once: its columns then serve others (column-pool.ts).
            const again = PendingTiers.build(list, classOf, agedBefore, kept);
            const scratch = PendingTiers.build(list, classOf, agedBefore);
            expect(shape(incremental, list)).toEqual(shape(scratch, list));
            expect(shape(again, list)).toEqual(shape(scratch, list));
            kept = incremental.unordered ? undefined : incremental;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts starving jobs above every class and sorts each tier by priority, age, id', () => {
    const list = [
      { cls: 'batch', priority: 0, submittedAt: 5, waited: undefined },
      { cls: 'batch', priority: 1, submittedAt: 9, waited: undefined },
      { cls: 'background', priority: 0, submittedAt: 6, waited: undefined },
      { cls: 'batch', priority: 0, submittedAt: 3, waited: 1 },
      { cls: 'batch', priority: 0, submittedAt: 4, waited: undefined },
    ].map((d, i) => ({
      ...job({ ...d, cls: d.cls as Drawn['cls'], queue: 'a', nominated: false, sameId: null }, []),
      id: `j${i}`,
    }));
    const tiers = PendingTiers.build(list, classOf, 2);
    const ids = tiers.byQueue.get('a')!.map((t) => [t.tier, jobsOf(t).map((j) => j.id)]);
    expect(ids).toEqual([
      [Number.MAX_SAFE_INTEGER, ['j3']],
      [classes.get('batch')!.priority, ['j1', 'j4', 'j0']],
      [classes.get('background')!.priority, ['j2']],
    ]);
    // The next cycle with one placed and one new: the same from the kept split.
    const later = [...list.slice(1), { ...list[0]!, id: 'j5', priority: 1, submittedAt: 7 }];
    const again = PendingTiers.build(later, classOf, 2, tiers);
    expect(again.byQueue.get('a')!.map((t) => jobsOf(t).map((j) => j.id))).toEqual([
      ['j3'],
      ['j5', 'j1', 'j4'],
      ['j2'],
    ]);
  });
});
