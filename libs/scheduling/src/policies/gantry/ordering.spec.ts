/**
 * The job order keeps the queues' heads in a heap (lanes.ts); this checks its sequence against
 * the plain order it replaced (every queue sorted, every head compared at every step), while
 * placements (and preemptions, which tell no lane) change the fair shares, on random queues, classes and shares (fast-check), NaN
 * and infinite figures included (the heap then gives way to the scan).
 */
import fc from 'fast-check';
import { DEFAULT_PRIORITY_CLASSES, type PendingJob, type PriorityClass } from '../../model';
import { aCluster, aJob, aNode } from '../../testing/builders';
import { FairShare } from './fair-share';
import { NodeIndex } from './node-index';
import { JobOrder } from './ordering';
import { PendingTiers } from './pending-tiers';
import { QuotaTracker } from './quota';

const NOW = 1_000_000;
const AGED = 100;
const QUEUES = ['org1/a', 'org1/b', 'org2/c', 'solo'];
const ODD = [Number.NaN, Number.POSITIVE_INFINITY, 1];

/** The order before the heap: tiers and jobs sorted per queue, every head compared per step. */
function plainOrder(
  pending: readonly PendingJob[],
  classOf: (job: PendingJob) => PriorityClass,
  quota: QuotaTracker,
  fair: FairShare,
) {
  const tierOf = (job: PendingJob) =>
    job.submittedAt < AGED ? Number.MAX_SAFE_INTEGER : classOf(job).priority;
  const byQueue = new Map<string, PendingJob[]>();
  for (const job of pending) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
  const lanes = [...byQueue]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([queue, jobs]) => {
      const byTier = new Map<number, PendingJob[]>();
      for (const job of jobs) byTier.set(tierOf(job), [...(byTier.get(tierOf(job)) ?? []), job]);
      const order = (a: PendingJob, b: PendingJob) =>
        b.priority - a.priority ||
        a.submittedAt - b.submittedAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const sorted = [...byTier.entries()]
        .sort(([a], [b]) => b - a)
        .flatMap(([, list]) => list.sort(order));
      const chain = quota.chain(queue);
      return {
        queue,
        leaf: chain[0]!,
        organization: chain.at(-1)!,
        jobs: sorted,
        next: 0,
        share: 0,
        orgShare: 0,
      };
    });
  type Lane = (typeof lanes)[number];
  const refresh = (lane: Lane) => {
    lane.share = fair.of(lane.queue, lane.leaf.weight);
    lane.orgShare =
      lane.organization === lane.leaf
        ? lane.share
        : fair.of(lane.organization.name, lane.organization.weight);
  };
  lanes.forEach(refresh);
  const before = (a: Lane, b: Lane) => {
    const [x, y] = [a.jobs[a.next]!, b.jobs[b.next]!];
    const byClass = tierOf(x) - tierOf(y);
    if (byClass !== 0) return byClass > 0;
    if (a.orgShare !== b.orgShare) return a.orgShare < b.orgShare;
    if (a.share !== b.share) return a.share < b.share;
    if (x.submittedAt !== y.submittedAt) return x.submittedAt < y.submittedAt;
    return x.id < y.id;
  };
  return {
    next(): PendingJob | undefined {
      let best: Lane | undefined;
      for (const lane of lanes)
        if (lane.next < lane.jobs.length && (!best || before(lane, best))) best = lane;
      return best?.jobs[best.next++];
    },
    placedIn(queue: string) {
      const organization = quota.chain(queue).at(-1)!.name;
      for (const lane of lanes)
        if (lane.queue === queue || lane.organization.name === organization) refresh(lane);
    },
  };
}

const scenario = fc.record({
  jobs: fc.array(
    fc.record({
      queue: fc.constantFrom(...QUEUES, 'org1'), // org1's own jobs: a lane beside its queues'
      cls: fc.constantFrom('serving', 'batch', 'background', 'odd'),
      priority: fc.integer({ min: -1, max: 1 }),
      // now and then a figure with no order (NaN): rarely, or the heap would hardly be tried
      submitted: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 60 },
        { arbitrary: fc.constant(Number.NaN), weight: 1 },
      ),
    }),
    { maxLength: 40 },
  ),
  usage: fc.array(
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 1e6 }), weight: 30 },
      { arbitrary: fc.constantFrom(...ODD), weight: 1 },
    ),
    { minLength: 6, maxLength: 6 },
  ),
  weights: fc.array(
    fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 30 },
      { arbitrary: fc.constantFrom(...ODD), weight: 1 },
    ),
    { minLength: 6, maxLength: 6 },
  ),
  oddPriority: fc.constantFrom(...ODD, 400),
  steps: fc.array(
    fc.record({
      place: fc.boolean(),
      gpus: fc.integer({ min: 1, max: 8 }),
      // a job of another queue preempted: its queue holds less, and no lane is told (as before)
      preempted: fc.option(fc.constantFrom(...QUEUES), { freq: 4 }),
    }),
    {
      maxLength: 50,
    },
  ),
});

describe('JobOrder', () => {
  it('gives the jobs in the order of the plain scan, as placements change the shares', () => {
    fc.assert(
      fc.property(scenario, ({ jobs, usage, weights, oddPriority, steps }) => {
        const cluster = aCluster()
          .node(aNode('n').gpus(8))
          .classes([
            ...DEFAULT_PRIORITY_CLASSES,
            {
              name: 'odd',
              priority: oddPriority,
              preemptible: true,
              minRuntimeSeconds: 0,
              gracePeriodSeconds: 1,
            },
          ]);
        ['org1', 'org2', ...QUEUES].forEach((queue, i) => {
          const parent = queue.includes('/') ? queue.split('/')[0] : undefined;
          cluster
            .queue(queue, { parent, weight: weights[i % 6] })
            .usage(queue, { 'H100-80GB': usage[i % 6]! });
        });
        jobs.forEach((j, i) =>
          cluster.pending(
            aJob(`j${i % 7}-${i}`)
              .queue(j.queue)
              .cls(j.cls)
              .priority(j.priority)
              .submitted(j.submitted),
          ),
        );
        const snapshot = cluster.snapshot(NOW);
        const classes = new Map(snapshot.classes.map((c) => [c.name, c]));
        const classOf = (job: PendingJob) => classes.get(job.priorityClass)!;
        const index = new NodeIndex(snapshot);
        const [quota, plainQuota] = [0, 1].map(
          () => new QuotaTracker(snapshot.queues, index.holdings.heldByQueue),
        );
        const order = new JobOrder(
          PendingTiers.build(snapshot.pending, classOf, AGED),
          quota!,
          new FairShare(snapshot, quota!, index),
        );
        const plain = plainOrder(
          snapshot.pending,
          classOf,
          plainQuota!,
          new FairShare(snapshot, plainQuota!, index),
        );
        for (const step of steps) {
          if (step.preempted)
            for (const q of [quota!, plainQuota!]) q.add(step.preempted, 'H100-80GB', -step.gpus);
          const job = order.next();
          expect(job?.id).toBe(plain.next()?.id);
          if (!job || !step.place) continue;
          for (const q of [quota!, plainQuota!]) q.add(job.queue, 'H100-80GB', step.gpus);
          order.placedIn(job.queue);
          plain.placedIn(job.queue);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
