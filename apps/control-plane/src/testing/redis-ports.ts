/**
 * In-memory stand-ins for the Redis side (libs/queue/src/api.ts), for unit tests only:
 * integration and e2e tests use the real ones against a real redis-server.
 */
import type {
  DispatchHandlers,
  DispatchOrder,
  DispatchQueue,
  LeaderLease,
  NodeLiveness,
  PendingEntry,
  PendingIndex,
  Signals,
} from '@gantry/queue';

/** The pending index, ordered as the Redis one: priority descending, then submit time, then id. */
export class InMemoryPendingIndex implements PendingIndex {
  readonly entries = new Map<string, PendingEntry>();

  async add(entries: readonly PendingEntry[]): Promise<number> {
    let added = 0;
    for (const entry of entries) {
      if (this.entries.has(entry.jobId)) continue;
      this.entries.set(entry.jobId, entry);
      added++;
    }
    return added;
  }

  async remove(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) this.entries.delete(id);
  }

  async heads(limit: number): Promise<string[]> {
    return [...this.entries.values()]
      .sort(
        (a, b) =>
          b.priority - a.priority ||
          a.submittedAt - b.submittedAt ||
          (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0),
      )
      .slice(0, limit)
      .map((e) => e.jobId);
  }

  async size(): Promise<number> {
    return this.entries.size;
  }

  ids(): string[] {
    return [...this.entries.keys()].sort();
  }
}

const orderKey = (kind: string, jobId: string, attempt: number, rank: number): string =>
  `${kind}:${jobId}:${attempt}:${rank}`;

/** Keeps enqueued orders (idempotent per kind, job, attempt, rank) and the worker it was given. */
export class RecordingDispatchQueue implements DispatchQueue {
  readonly queued = new Map<string, DispatchOrder>();
  /** Every enqueue call, accepted or not, in order. */
  readonly enqueued: DispatchOrder[] = [];
  worker?: { handlers: DispatchHandlers; concurrency: number };
  closed = 0;

  async enqueue(order: DispatchOrder): Promise<boolean> {
    this.enqueued.push(order);
    const key = orderKey(order.kind, order.jobId, order.attempt, order.rank ?? 0);
    if (this.queued.has(key)) return false;
    this.queued.set(key, order);
    return true;
  }

  async has(
    kind: DispatchOrder['kind'],
    jobId: string,
    attempt: number,
    rank = 0,
  ): Promise<boolean> {
    return this.queued.has(orderKey(kind, jobId, attempt, rank));
  }

  startWorker(handlers: DispatchHandlers, concurrency: number): void {
    this.worker = { handlers, concurrency };
  }

  async close(): Promise<void> {
    this.closed++;
  }

  orders(): DispatchOrder[] {
    return [...this.queued.values()];
  }
}

export class InMemoryNodeLiveness implements NodeLiveness {
  readonly last = new Map<string, number>();

  async beat(nodeId: string, at: number): Promise<void> {
    this.last.set(nodeId, at);
  }

  async lastBeats(nodeIds: readonly string[]): Promise<Map<string, number>> {
    const beats = new Map<string, number>();
    for (const id of nodeIds) {
      const at = this.last.get(id);
      if (at !== undefined) beats.set(id, at);
    }
    return beats;
  }

  async forget(nodeId: string): Promise<void> {
    this.last.delete(nodeId);
  }
}

/** Records wake-ups and delivers them to listeners at once (no pub/sub, nothing lost). */
export class RecordingSignals implements Signals {
  readonly jobsChanged: string[] = [];
  schedulerWakeUps = 0;
  private readonly jobListeners = new Map<string, Set<() => void>>();
  private readonly schedulerListeners = new Set<() => void>();

  async jobChanged(jobId: string): Promise<void> {
    this.jobsChanged.push(jobId);
    for (const listener of this.jobListeners.get(jobId) ?? []) listener();
  }

  onJobChanged(jobId: string, listener: () => void): () => void {
    const listeners = this.jobListeners.get(jobId) ?? new Set();
    listeners.add(listener);
    this.jobListeners.set(jobId, listeners);
    return () => listeners.delete(listener);
  }

  /** How many WatchJob streams (or others) listen for this job now. */
  listenersOf(jobId: string): number {
    return this.jobListeners.get(jobId)?.size ?? 0;
  }

  async schedulerWanted(): Promise<void> {
    this.schedulerWakeUps++;
    for (const listener of this.schedulerListeners) listener();
  }

  onSchedulerWanted(listener: () => void): () => void {
    this.schedulerListeners.add(listener);
    return () => this.schedulerListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.jobListeners.clear();
    this.schedulerListeners.clear();
  }
}

/**
 * The leader lease without expiry: one holder until it releases. Like the Redis lease, a new
 * token is above every token issued and above `tokenFloor()` (the fence PostgreSQL holds).
 */
export class InMemoryLeaderLease implements LeaderLease {
  readonly released: number[] = [];
  private held?: number;
  private issued = 0;

  constructor(private readonly tokenFloor: () => number = () => 0) {}

  async tryAcquire(): Promise<number | undefined> {
    if (this.held !== undefined) return undefined;
    this.issued = Math.max(this.issued, this.tokenFloor()) + 1;
    this.held = this.issued;
    return this.held;
  }

  async renew(token: number): Promise<boolean> {
    return this.held === token;
  }

  async release(token: number): Promise<void> {
    this.released.push(token);
    if (this.held === token) this.held = undefined;
  }

  async holder(): Promise<{ replicaId: string; token: number } | undefined> {
    return this.held === undefined ? undefined : { replicaId: 'test-replica', token: this.held };
  }
}
