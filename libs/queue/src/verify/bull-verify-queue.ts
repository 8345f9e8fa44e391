/**
 * The `verify` queue on BullMQ (ADR 9): an RL job's finished rollout shards wait here to be
 * scored by verifiers on CPU workers (every control-plane replica runs a worker with
 * GANTRY_VERIFY_CONCURRENCY). One BullMQ job per (parent job, shard), its id derived from them,
 * so a shard is queued at most once while it waits or runs. A job that fails every try stays
 * (failed) so the workload controller can tell the parent why; a completed one is removed (its
 * verdict file is the record).
 */
import { FailedPreconditionError, ValidationError } from '@gantry/domain';
import { Queue, Worker } from 'bullmq';
import { type QueueLogger, toError } from '../logger';
import { bullConnection } from '../redis/create-redis';
import { normalizePrefix } from '../redis/keyspace';

/** Score the rollouts of one shard of an RL job. */
export interface VerifyOrder {
  readonly parentJobId: string;
  readonly shardIndex: number;
}

/** Where a verify order is: waiting or running, failed for good (with why), or not queued. */
export type VerifyOrderState =
  | { readonly state: 'pending' }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'absent' };

export interface BullVerifyQueueOptions {
  readonly url: string;
  readonly prefix: string;
  readonly logger: QueueLogger;
  /** Tries per order, the first included. */
  readonly tries?: number;
  readonly backoffMs?: number;
}

const PENDING = new Set(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);

function orderId(order: VerifyOrder): string {
  if (!/^job_[0-9a-z]{26}$/.test(order.parentJobId))
    throw ValidationError.field('parentJobId', 'must be a job id');
  if (!Number.isInteger(order.shardIndex) || order.shardIndex < 0)
    throw ValidationError.field('shardIndex', 'must be a whole number of at least 0');
  return `verify-${order.parentJobId}-${order.shardIndex}`;
}

export class BullVerifyQueue {
  private readonly queue: Queue<VerifyOrder, void, string, VerifyOrder, void, string>;
  private worker: Worker<VerifyOrder, void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: BullVerifyQueueOptions) {
    this.queue = new Queue<VerifyOrder, void, string, VerifyOrder, void, string>('verify', {
      connection: bullConnection(o.url),
      prefix: normalizePrefix(o.prefix),
      defaultJobOptions: {
        attempts: o.tries ?? 3,
        backoff: { type: 'exponential', delay: o.backoffMs ?? 1000 },
        removeOnComplete: true,
        removeOnFail: false,
      },
    });
    this.queue.on('error', (error: Error) =>
      o.logger.warn({ err: error }, 'Verify queue Redis error'),
    );
  }

  /** Queues the order unless it is already queued (or failed: see `state`). */
  async enqueue(order: VerifyOrder): Promise<void> {
    this.assertOpen('enqueue');
    await this.queue.add('verify', { ...order }, { jobId: orderId(order) });
  }

  async state(order: VerifyOrder): Promise<VerifyOrderState> {
    const id = orderId(order);
    const state = await this.queue.getJobState(id);
    if (PENDING.has(state)) return { state: 'pending' };
    if (state === 'failed') {
      const job = await this.queue.getJob(id);
      return { state: 'failed', reason: job?.failedReason ?? 'failed' };
    }
    return { state: 'absent' };
  }

  /** Forgets an order (a failed one the controller has dealt with, or a cancelled job's). */
  async remove(order: VerifyOrder): Promise<void> {
    await this.queue.remove(orderId(order));
  }

  /** Runs `handle` for queued orders, `concurrency` at once; a throw is a failed try. */
  startWorker(handle: (order: VerifyOrder) => Promise<void>, concurrency: number): void {
    this.assertOpen('startWorker');
    if (this.worker) throw new FailedPreconditionError('The verify worker is already running');
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw ValidationError.field(
        'concurrency',
        `must be an integer of at least 1, got ${concurrency}`,
      );
    this.worker = new Worker<VerifyOrder, void>('verify', (job) => handle(job.data), {
      connection: bullConnection(this.o.url),
      prefix: normalizePrefix(this.o.prefix),
      concurrency,
    });
    this.worker.on('error', (error: Error) =>
      this.o.logger.warn({ err: toError(error) }, 'Verify worker error'),
    );
    this.worker.on('failed', (job, error) =>
      this.o.logger.warn(
        { err: toError(error), order: job?.data, try: job?.attemptsMade },
        'verification failed',
      ),
    );
  }

  close(): Promise<void> {
    return (this.closing ??= this.closeAll());
  }

  private async closeAll(): Promise<void> {
    try {
      await this.worker?.close();
    } finally {
      await this.queue.close();
    }
  }

  private assertOpen(what: string): void {
    if (this.closing)
      throw new FailedPreconditionError(`Verify queue ${what}() called after close()`);
  }
}
