/**
 * The order jobs are considered in. A job that has waited longer than the starvation age (since
 * its waitingSince: earlier run time does not count as waiting) goes before every class, and
 * among such starving jobs the queues' fair share decides, as between equal classes (ADR 13). Otherwise each queue's
 * jobs are sorted by class priority, then job priority, then submit time. Among the queues, the
 * next job is the head with the highest class priority; between equal classes, the head whose
 * organization, then queue, has the smallest fair share (recomputed as jobs are placed); then
 * the earliest submitted.
 */
import type { PendingJob, QueueSpec } from '../../model';
import type { FairShare } from './fair-share';
import { before, Heap, Organization, organizationsFirst, type Lane } from './lanes';
import type { PendingTiers } from './pending-tiers';
import type { QuotaTracker } from './quota';

export class JobOrder {
  private readonly lanes: Lane[] = [];
  private readonly shares = new Map<QueueSpec, { changes: number; share: number }>();
  /** The lanes of each organization, in list order (a placement changes their shares). */
  private readonly organizations = new Map<string, Organization>();
  /** The organizations by first lane; undefined once a figure compared is NaN (then scans). */
  private heap: Heap<Organization> | undefined;
  /** The jobs with nominated nodes, in the snapshot's order. */
  readonly nominated: readonly PendingJob[];

  /** A lane per queue (by name) over its tiers, split and sorted by PendingTiers. */
  constructor(
    pending: PendingTiers,
    private readonly quota: QuotaTracker,
    private readonly fairShare: FairShare,
  ) {
    this.nominated = pending.nominated;
    for (const [queue, tiers] of [...pending.byQueue].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const chain = quota.chain(queue);
      const lane: Lane = {
        queue,
        leaf: chain[0]!,
        organization: chain[chain.length - 1]!,
        tiers,
        index: this.lanes.length,
        tier: 0,
        next: 0,
        share: 0,
        organizationShare: 0,
        slot: -1,
      };
      this.refresh(lane);
      this.lanes.push(lane);
      let organization = this.organizations.get(lane.organization.name);
      if (!organization)
        this.organizations.set(lane.organization.name, (organization = new Organization()));
      organization.lanes.push(lane);
    }
    if (pending.unordered || this.lanes.some((lane) => this.unordered(lane))) return;
    this.heap = new Heap(organizationsFirst);
    for (const organization of this.organizations.values()) {
      for (const lane of organization.lanes) organization.heap.push(lane);
      this.heap.push(organization);
    }
  }

  /** Whether a share of the lane is NaN (no order: the lanes are scanned from then on). */
  private unordered(lane: Lane): boolean {
    return Number.isNaN(lane.share) || Number.isNaN(lane.organizationShare);
  }

  /** Works the lane's shares out again; whether its own share changed. */
  private refresh(lane: Lane): boolean {
    const share = lane.share;
    lane.share = this.shareOf(lane.leaf);
    lane.organizationShare =
      lane.organization === lane.leaf ? lane.share : this.shareOf(lane.organization);
    return !Object.is(share, lane.share);
  }

  /**
   * A queue's fair share, kept until quota changes what the queue holds: the share is a pure
   * function of that (and of the snapshot), and a placement refreshes the lanes of a whole
   * organization, which used to work out each of their shares again.
   */
  private shareOf(spec: QueueSpec): number {
    const changes = this.quota.changesOf(spec.name);
    let known = this.shares.get(spec);
    if (known?.changes !== changes) {
      known = { changes, share: this.fairShare.of(spec.name, spec.weight) };
      this.shares.set(spec, known);
    }
    return known.share;
  }

  /** Shares changed after a placement in this queue (and its organization). */
  placedIn(queue: string): void {
    const organization = this.organizations.get(this.quota.chain(queue).at(-1)!.name);
    if (!organization) return;
    // The queue's own lane is among its organization's. All of them first, so that the
    // organization's share is the same for all when lanes whose own shares changed move.
    const moved = organization.lanes.filter((lane) => this.refresh(lane));
    for (const lane of moved) organization.heap.changed(lane);
    if (organization.lanes.some((lane) => this.unordered(lane))) this.heap = undefined;
    this.heap?.changed(organization);
  }

  /** The next job to consider, or undefined when every queue is exhausted. */
  next(): PendingJob | undefined {
    const organization = this.heap?.top;
    const best = this.heap ? organization?.heap.top : this.scan();
    if (!best) return undefined;
    const { positions, pending } = best.tiers[best.tier]!;
    const job = pending[positions[best.next++]!];
    if (best.next >= positions.length) {
      best.tier++;
      best.next = 0;
    }
    if (organization) {
      if (best.tier < best.tiers.length) organization.heap.changed(best);
      else organization.heap.pop();
      if (organization.heap.top) this.heap!.changed(organization);
      else this.heap!.pop();
    }
    return job;
  }

  /** The lane whose head goes first, comparing every lane's head. */
  private scan(): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      if (lane.tier >= lane.tiers.length) continue;
      if (!best || before(lane, best)) best = lane;
    }
    return best;
  }
}
