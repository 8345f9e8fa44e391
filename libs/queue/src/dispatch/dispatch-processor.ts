/**
 * What the dispatch worker does with one BullMQ job: deliver the order; on a failure that is not
 * the last try, throw so BullMQ retries it after its backoff; on the last try (or a
 * PermanentDispatchError) call `gaveUp` while the job is still in flight, then fail it for good.
 * Calling gaveUp inside the processor, not from a 'failed' event, means it runs once per order
 * and the job is only removed after it returned: `has()` stays true until then, and a crash in
 * between leaves a stalled job that BullMQ hands to another worker instead of losing the order.
 */
import { UnrecoverableError } from 'bullmq';
import { type DispatchHandlers, type DispatchOrder, PermanentDispatchError } from '../api';
import { type QueueLogger, toError } from '../logger';

/** What a dispatch job carries: the order, and the nonce of the enqueue that created it. */
export interface DispatchJobData {
  readonly order: DispatchOrder;
  readonly nonce: string;
}

/** The parts of a BullMQ job the processor reads. */
export interface DispatchJob {
  readonly id?: string | undefined;
  readonly data: DispatchJobData;
  /** Tries that already failed (0 during the first). */
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number | undefined };
}

export function isPermanent(error: Error): boolean {
  return error instanceof PermanentDispatchError || error.name === 'PermanentDispatchError';
}

export function createDispatchProcessor(
  handlers: DispatchHandlers,
  logger: QueueLogger,
): (job: DispatchJob) => Promise<void> {
  return async (job) => {
    const { order } = job.data;
    try {
      await handlers.deliver(order);
      return;
    } catch (thrown) {
      const error = toError(thrown);
      const tries = job.opts.attempts ?? 1;
      const permanent = isPermanent(error);
      if (!permanent && job.attemptsMade + 1 < tries) throw error; // BullMQ retries after backoff
      const fields = {
        dispatchId: job.id,
        order,
        tries: job.attemptsMade + 1,
        permanent,
        err: error,
      };
      logger.warn(fields, 'Dispatch order failed for good; giving up');
      try {
        await handlers.gaveUp(order, error);
      } catch (gaveUpError) {
        logger.error(
          { ...fields, gaveUpErr: toError(gaveUpError) },
          'Dispatch gaveUp handler failed',
        );
      }
      throw new UnrecoverableError(
        `${permanent ? 'permanent failure' : `failed ${tries} tries`}: ${error.message}`,
      );
    }
  };
}
