/**
 * The order jobs are considered in. A job that has waited longer than the starvation age goes
 * before every class (so it gets a reservation: no job waits forever). Otherwise each queue's
 * jobs are sorted by class priority, then job
 * priority, then submit time. Among the queues, the next job is the head with the highest
 * class priority; between equal classes, the head whose organization, then queue, has the
 * smallest fair share (recomputed as jobs are placed); then the earliest submitted.
 */
import type { PendingJob, PriorityClass, QueueSpec } from '../../model';
import type { FairShare } from './fair-share';
import type { QuotaTracker } from './quota';

interface Lane {
  readonly queue: string;
  readonly organization: QueueSpec;
  readonly leaf: QueueSpec;
  readonly jobs: PendingJob[];
  next: number;
  share: number;
  organizationShare: number;
}

const AGED_TIER = Number.MAX_SAFE_INTEGER;

export class JobOrder {
  private readonly lanes: Lane[] = [];
  considered = 0;

  constructor(
    pending: readonly PendingJob[],
    private readonly classOf: (job: PendingJob) => PriorityClass,
    private readonly quota: QuotaTracker,
    private readonly fairShare: FairShare,
    /** Jobs submitted before this (epoch ms) have waited too long: they go first. */
    private readonly agedBefore: number = Number.NEGATIVE_INFINITY,
  ) {
    const byQueue = new Map<string, PendingJob[]>();
    for (const job of pending) {
      const list = byQueue.get(job.queue) ?? [];
      list.push(job);
      byQueue.set(job.queue, list);
    }
    for (const [queue, jobs] of [...byQueue].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const chain = quota.chain(queue);
      const lane = {
        queue,
        leaf: chain[0]!,
        organization: chain[chain.length - 1]!,
        jobs: this.sorted(jobs),
        next: 0,
        share: 0,
        organizationShare: 0,
      };
      this.refresh(lane);
      this.lanes.push(lane);
    }
  }

  /**
   * A queue's jobs by class priority, then job priority, then submit time, then id. Jobs are
   * first split by class (a handful), then each class is sorted: pending jobs mostly arrive in
   * submit order, which the sort then only has to confirm.
   */
  private sorted(jobs: PendingJob[]): PendingJob[] {
    const byTier = new Map<number, PendingJob[]>();
    for (const job of jobs) {
      const tier = this.tierOf(job);
      const list = byTier.get(tier);
      if (list) list.push(job);
      else byTier.set(tier, [job]);
    }
    const order = (a: PendingJob, b: PendingJob): number =>
      b.priority - a.priority ||
      a.submittedAt - b.submittedAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return [...byTier.entries()].sort(([a], [b]) => b - a).flatMap(([, list]) => list.sort(order));
  }

  /** The class priority; above every class for a job that has waited too long (no starvation). */
  private tierOf(job: PendingJob): number {
    return job.submittedAt < this.agedBefore ? AGED_TIER : this.classOf(job).priority;
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
    if (!best) return undefined;
    this.considered++;
    return best.jobs[best.next++];
  }

  /** Jobs no cycle step has looked at, for callers that want to count them. */
  remaining(): number {
    return this.lanes.reduce((n, lane) => n + lane.jobs.length - lane.next, 0);
  }

  private before(a: Lane, b: Lane): boolean {
    const x = a.jobs[a.next]!;
    const y = b.jobs[b.next]!;
    const byClass = this.tierOf(x) - this.tierOf(y);
    if (byClass !== 0) return byClass > 0;
    if (a.organizationShare !== b.organizationShare)
      return a.organizationShare < b.organizationShare;
    if (a.share !== b.share) return a.share < b.share;
    if (x.submittedAt !== y.submittedAt) return x.submittedAt < y.submittedAt;
    return x.id < y.id;
  }
}
