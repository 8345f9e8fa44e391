/**
 * The queues' lanes of the job order and which head goes first: the higher tier; between equal
 * tiers, the head whose organization, then queue, has the smaller fair share; then the earlier
 * submitted; then the smaller id. The heads sit in a binary heap, so the next job takes a few
 * comparisons rather than one per queue (20,000 jobs a cycle). The heap orders lanes as the scan
 * over every lane it replaces would (by `before`, then by place in the list): the same choice
 * while no figure compared is NaN, which has no order; the job order scans when one is.
 */
import type { PendingJob, QueueSpec } from '../../model';

/** One tier of a queue: its jobs in order. */
export interface Tier {
  readonly tier: number;
  readonly jobs: PendingJob[];
  /** Whether the jobs, as added, are in order already (the sort would leave them as they are). */
  inOrder: boolean;
}

export interface Lane {
  readonly queue: string;
  readonly organization: QueueSpec;
  readonly leaf: QueueSpec;
  /** The queue's jobs by tier (highest first); the head is tiers[tier].jobs[next]. */
  readonly tiers: Tier[];
  /** Its place in the list of lanes (by queue name). */
  readonly index: number;
  tier: number;
  next: number;
  share: number;
  organizationShare: number;
  /** Where it is in the heap; -1 when not there. */
  slot: number;
}

export function before(a: Lane, b: Lane): boolean {
  const x = a.tiers[a.tier]!;
  const y = b.tiers[b.tier]!;
  const byClass = x.tier - y.tier;
  if (byClass !== 0) return byClass > 0;
  if (a.organizationShare !== b.organizationShare) return a.organizationShare < b.organizationShare;
  if (a.share !== b.share) return a.share < b.share;
  const p = x.jobs[a.next]!;
  const q = y.jobs[b.next]!;
  if (p.submittedAt !== q.submittedAt) return p.submittedAt < q.submittedAt;
  return p.id < q.id;
}

/** Whether the scan would pick `a` over `b`: before it, or level with it and listed earlier. */
const precedes = (a: Lane, b: Lane): boolean =>
  before(a, b) || (!before(b, a) && a.index < b.index);

export class LaneHeap {
  private readonly heap: Lane[] = [];

  constructor(lanes: readonly Lane[]) {
    for (const lane of lanes) {
      lane.slot = this.heap.push(lane) - 1;
      this.up(lane.slot);
    }
  }

  top(): Lane | undefined {
    return this.heap[0];
  }

  /** The top lane's head moved on (or it has none left). */
  advanced(): void {
    const top = this.heap[0]!;
    if (top.tier < top.tiers.length) this.down(0);
    else {
      top.slot = -1;
      const last = this.heap.pop()!;
      if (last === top) return;
      this.heap[0] = last;
      last.slot = 0;
      this.down(0);
    }
  }

  /** The lane's shares changed. */
  reordered(lane: Lane): void {
    if (lane.slot < 0) return;
    this.up(lane.slot);
    this.down(lane.slot);
  }

  private up(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!precedes(this.heap[slot]!, this.heap[parent]!)) return;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private down(slot: number): void {
    for (;;) {
      let first = slot;
      const left = 2 * slot + 1;
      const right = left + 1;
      if (left < this.heap.length && precedes(this.heap[left]!, this.heap[first]!)) first = left;
      if (right < this.heap.length && precedes(this.heap[right]!, this.heap[first]!)) first = right;
      if (first === slot) return;
      this.swap(slot, first);
      slot = first;
    }
  }

  private swap(a: number, b: number): void {
    const lane = this.heap[a]!;
    this.heap[a] = this.heap[b]!;
    this.heap[b] = lane;
    this.heap[a].slot = a;
    lane.slot = b;
  }
}
