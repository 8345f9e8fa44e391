/**
 * The dispatch queue on BullMQ: RunTask and CancelTask orders for node agents, retried with
 * exponential backoff. One BullMQ queue (`<prefix>:dispatch:*`) whose job ids are derived from
 * (kind, jobId, attempt, rank), so an order is queued at most once while it waits or runs. Completed
 * jobs are removed at once, failed ones after gaveUp returned: a job exists exactly while its
 * order is pending or in flight. It owns its Redis connections (BullMQ opens them from `url`).
 */
import { randomUUID } from 'node:crypto';
import { FailedPreconditionError, ValidationError } from '@gantry/domain';
import { Queue, Worker } from 'bullmq';
import { type DispatchHandlers, type DispatchOrder, type DispatchQueue } from '../api';
import { type QueueLogger, toError } from '../logger';
import { bullConnection } from '../redis/create-redis';
import { normalizePrefix } from '../redis/keyspace';
import { dispatchJobId } from './dispatch-job-id';
import { createDispatchProcessor, type DispatchJobData } from './dispatch-processor';

export interface BullDispatchQueueOptions {
  readonly url: string;
  /** Key prefix, e.g. `gantry`; BullMQ keys become `<prefix>:<queueName>:...`. */
  readonly prefix: string;
  /** Tries per order, the first included (GANTRY_DISPATCH_RETRIES). */
  readonly tries: number;
  /** Exponential backoff base in ms: try n+1 starts base * 2^(n-1) ms after try n failed. */
  readonly backoffMs: number;
  readonly logger: QueueLogger;
  /** Default `dispatch`. */
  readonly queueName?: string;
}

type DispatchBullQueue = Queue<DispatchJobData, void, string, DispatchJobData, void, string>;

/** BullMQ states in which an order still waits or runs. */
const PENDING_STATES: ReadonlySet<string> = new Set([
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'waiting-children',
]);

export class BullDispatchQueue implements DispatchQueue {
  private readonly queue: DispatchBullQueue;
  private worker: Worker<DispatchJobData, void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullDispatchQueueOptions) {
    if (!Number.isInteger(options.tries) || options.tries < 1) {
      throw ValidationError.field(
        'tries',
        `must be an integer of at least 1, got ${options.tries}`,
      );
    }
    if (!Number.isFinite(options.backoffMs) || options.backoffMs < 0) {
      throw ValidationError.field(
        'backoffMs',
        `must be a non-negative number of ms, got ${options.backoffMs}`,
      );
    }
    this.queue = new Queue<DispatchJobData, void, string, DispatchJobData, void, string>(
      this.name,
      {
        connection: bullConnection(options.url),
        prefix: normalizePrefix(options.prefix),
        defaultJobOptions: {
          attempts: options.tries,
          backoff: { type: 'exponential', delay: options.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      },
    );
    this.queue.on('error', (error: Error) =>
      options.logger.warn({ err: error }, 'Dispatch queue Redis error'),
    );
  }

  private get name(): string {
    return this.options.queueName ?? 'dispatch';
  }

  /**
   * Adds the order unless one with its id exists. BullMQ answers a duplicate id with the existing
   * job, so each enqueue stores a nonce and reads it back: ours means we added it. (If the job
   * already finished and was removed before the read, it counts as added.)
   */
  async enqueue(order: DispatchOrder): Promise<boolean> {
    this.assertOpen('enqueue');
    const id = dispatchJobId(order.kind, order.jobId, order.attempt, order.rank ?? 0);
    if (typeof order.nodeId !== 'string' || order.nodeId.length === 0) {
      throw ValidationError.field('nodeId', 'must be a non-empty string');
    }
    const nonce = randomUUID();
    await this.queue.add(order.kind, { order: { ...order }, nonce }, { jobId: id });
    const stored = await this.queue.getJob(id);
    return stored === undefined || stored.data.nonce === nonce;
  }

  async has(
    kind: DispatchOrder['kind'],
    jobId: string,
    attempt: number,
    rank = 0,
  ): Promise<boolean> {
    const id = dispatchJobId(kind, jobId, attempt, rank);
    return PENDING_STATES.has(await this.queue.getJobState(id));
  }

  startWorker(handlers: DispatchHandlers, concurrency: number): void {
    this.assertOpen('startWorker');
    if (this.worker)
      throw new FailedPreconditionError('The dispatch worker is already running on this queue');
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw ValidationError.field(
        'concurrency',
        `must be an integer of at least 1, got ${concurrency}`,
      );
    }
    const { logger } = this.options;
    this.worker = new Worker<DispatchJobData, void>(
      this.name,
      createDispatchProcessor(handlers, logger),
      {
        connection: bullConnection(this.options.url),
        prefix: normalizePrefix(this.options.prefix),
        concurrency,
      },
    );
    this.worker.on('error', (error: Error) =>
      logger.warn({ err: toError(error) }, 'Dispatch worker error'),
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
      throw new FailedPreconditionError(`Dispatch queue ${what}() called after close()`);
  }
}
