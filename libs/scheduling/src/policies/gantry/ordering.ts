/**
 * The order jobs are considered in. A job that has waited longer than the starvation age goes
 * before every class (so it gets a reservation: no job waits forever). Otherwise each queue's
 * jobs are sorted by class priority, then job priority, then submit time. Among the queues, the
 * next job is the head with the highest class priority; between equal classes, the head whose
 * organization, then queue, has the smallest fair share (recomputed as jobs are placed); then
 * the earliest submitted.
 */
import type { PendingJob, PriorityClass, QueueSpec } from '../../model';
import type { FairShare } from './fair-share';
import type { QuotaTracker } from './quota';

interface Lane {
  readonly queue: string;
  readonly organization: QueueSpec;
  readonly leaf: QueueSpec;
  readonly jobs: PendingJob[];
  /** Beside each job, its tier (class priority, or above every class once aged). */
  readonly tiers: number[];
  next: number;
  share: number;
  organizationShare: number;
}

const AGED_TIER = Number.MAX_SAFE_INTEGER;

/** Jobs of one tier: by job priority (higher first), then submit time, then id. */
const byPriorityThenAge = (a: PendingJob, b: PendingJob): number =>
  b.priority - a.priority ||
  a.submittedAt - b.submittedAt ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class JobOrder {
  private readonly lanes: Lane[] = [];

  /**
   * Each queue's jobs, first split by tier (a handful) in one pass over the pending jobs, then
   * each tier sorted: pending jobs mostly arrive in submit order, which the sort then only has
   * to confirm. The tier of a job is looked up once, here, not at every comparison.
   */
  constructor(
    pending: readonly PendingJob[],
    classOf: (job: PendingJob) => PriorityClass,
    private readonly quota: QuotaTracker,
    private readonly fairShare: FairShare,
    /** Jobs submitted before this (epoch ms) have waited too long: they go first. */
    agedBefore: number = Number.NEGATIVE_INFINITY,
  ) {
    const classTiers = new Map<string, number>();
    const byQueue = new Map<string, Map<number, PendingJob[]>>();
    for (const job of pending) {
      let tier = classTiers.get(job.priorityClass);
      if (tier === undefined) classTiers.set(job.priorityClass, (tier = classOf(job).priority));
      if (job.submittedAt < agedBefore) tier = AGED_TIER;
      let tiers = byQueue.get(job.queue);
      if (!tiers) byQueue.set(job.queue, (tiers = new Map<number, PendingJob[]>()));
      const list = tiers.get(tier);
      if (list) list.push(job);
      else tiers.set(tier, [job]);
    }
    for (const [queue, tiers] of [...byQueue].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const chain = quota.chain(queue);
      const lane: Lane = {
        queue,
        leaf: chain[0]!,
        organization: chain[chain.length - 1]!,
        jobs: [],
        tiers: [],
        next: 0,
        share: 0,
        organizationShare: 0,
      };
      for (const [tier, list] of [...tiers].sort(([a], [b]) => b - a)) {
        for (const job of list.sort(byPriorityThenAge)) {
          lane.jobs.push(job);
          lane.tiers.push(tier);
        }
      }
      this.refresh(lane);
      this.lanes.push(lane);
    }
  }

  private refresh(lane: Lane): void {
    lane.share = this.fairShare.of(lane.queue, lane.leaf.weight);
    lane.organizationShare =
      lane.organization === lane.leaf
        ? lane.share
        : this.fairShare.of(lane.organization.name, lane.organization.weight);
  }

  /** Shares changed after a placement in this queue (and its organization). */
  placedIn(queue: string): void {
    const organization = this.quota.chain(queue).at(-1)!.name;
    for (const lane of this.lanes)
      if (lane.queue === queue || lane.organization.name === organization) this.refresh(lane);
  }

  /** The next job to consider, or undefined when every queue is exhausted. */
  next(): PendingJob | undefined {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      if (lane.next >= lane.jobs.length) continue;
      if (!best || this.before(lane, best)) best = lane;
    }
    return best?.jobs[best.next++];
  }

  private before(a: Lane, b: Lane): boolean {
    const byClass = a.tiers[a.next]! - b.tiers[b.next]!;
    if (byClass !== 0) return byClass > 0;
    if (a.organizationShare !== b.organizationShare)
      return a.organizationShare < b.organizationShare;
    if (a.share !== b.share) return a.share < b.share;
    const x = a.jobs[a.next]!;
    const y = b.jobs[b.next]!;
    if (x.submittedAt !== y.submittedAt) return x.submittedAt < y.submittedAt;
    return x.id < y.id;
  }
}
