/**
 * What the Redis side offers the control plane: the pending index the scheduler takes its heads
 * from, the BullMQ dispatch queue, the leader lease, node liveness, and wake-up signals.
 * Redis is a rebuildable buffer: PostgreSQL stays the truth, and a reconciler restores any entry
 * Redis lost.
 */

/** A pending job as the index orders it: higher priority first, then earlier submit. */
export interface PendingEntry {
  readonly jobId: string;
  readonly priority: number;
  readonly submittedAt: number;
}

export interface PendingIndex {
  /** Adds entries that are missing (never moves existing ones); returns how many were added. */
  add(entries: readonly PendingEntry[]): Promise<number>;
  remove(jobIds: readonly string[]): Promise<void>;
  /** The first `limit` job ids in scheduling order. */
  heads(limit: number): Promise<string[]>;
  size(): Promise<number>;
}

/** Start a task (one rank of an attempt) on its node (NodeAgent.RunTask). */
export interface RunOrder {
  readonly kind: 'run';
  readonly jobId: string;
  readonly attempt: number;
  /** The rank of a multi-node job's task; absent (0) for a single-node job. */
  readonly rank?: number;
  readonly nodeId: string;
}

/** Stop a task on its node (NodeAgent.CancelTask). */
export interface StopOrderMessage {
  readonly kind: 'stop';
  readonly jobId: string;
  readonly attempt: number;
  readonly rank?: number;
  readonly nodeId: string;
  readonly graceSeconds: number;
  readonly reason: string;
}

export type DispatchOrder = RunOrder | StopOrderMessage;

/** Thrown by a dispatch handler to say retrying cannot help (the order fails at once). */
export class PermanentDispatchError extends Error {
  override name = 'PermanentDispatchError';
}

export interface DispatchHandlers {
  /** Delivers one order; a throw is retried with exponential backoff up to the configured tries. */
  deliver(order: DispatchOrder): Promise<void>;
  /** Called once when an order has failed its last try (or failed permanently). */
  gaveUp(order: DispatchOrder, error: Error): Promise<void>;
}

export interface DispatchQueue {
  /**
   * Enqueues an order; idempotent per (kind, jobId, attempt, rank) while one is waiting or in
   * flight. Returns false when an identical order was already queued.
   */
  enqueue(order: DispatchOrder): Promise<boolean>;
  /** Whether an order for (kind, jobId, attempt, rank) is waiting, delayed or in flight. */
  has(kind: DispatchOrder['kind'], jobId: string, attempt: number, rank?: number): Promise<boolean>;
  /** Starts consuming on this process with `concurrency` orders at once. */
  startWorker(handlers: DispatchHandlers, concurrency: number): void;
  /** Stops the worker (waiting for orders in flight) and closes connections. Safe to call twice. */
  close(): Promise<void>;
}

export interface LeaderLease {
  /**
   * Tries to become leader. On success returns a fencing token larger than every token issued
   * before; undefined while another replica holds an unexpired lease.
   */
  tryAcquire(): Promise<number | undefined>;
  /** Extends the lease if this replica still holds it with `token`; false when it lost it. */
  renew(token: number): Promise<boolean>;
  /** Gives the lease up if held with `token`. */
  release(token: number): Promise<void>;
  /** Who holds the lease now, if anyone. */
  holder(): Promise<{ replicaId: string; token: number } | undefined>;
}

export interface NodeLiveness {
  /** Records a heartbeat at `at`. */
  beat(nodeId: string, at: number): Promise<void>;
  /** Last heartbeat times of the given nodes (missing when Redis has none). */
  lastBeats(nodeIds: readonly string[]): Promise<Map<string, number>>;
  forget(nodeId: string): Promise<void>;
}

/** Cross-replica wake-ups over Redis pub/sub. Lossy by nature: receivers also poll. */
export interface Signals {
  /** Wakes WatchJob streams of this job on every replica. */
  jobChanged(jobId: string): Promise<void>;
  onJobChanged(jobId: string, listener: () => void): () => void;
  /** Wakes the scheduler leader (a submit, a freed GPU). */
  schedulerWanted(): Promise<void>;
  onSchedulerWanted(listener: () => void): () => void;
  close(): Promise<void>;
}
