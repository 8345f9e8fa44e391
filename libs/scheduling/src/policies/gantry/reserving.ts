/**
 * Reserving for a job that can neither start nor preempt (backfill): the earliest slot on any
 * model it is admitted on is held in the book, so later jobs start only where they do not delay
 * it, and the decision records the reservation and tells the job when it should start.
 */
import { Reason } from '@gantry/domain';
import type { PendingJob, Reservation, Waiting } from '../../model';
import { inHowLong, listNames } from './messages';
import type { ReservationBook, ReservedSlot } from './reservations';
import type { SlotFinder } from './slots';

// Read once: the domain barrel's getters cost a call each.
const { Reserved } = Reason;

/** Holds the job's earliest slot; undefined (nothing held) when it has none. */
export function reserveFor(
  job: PendingJob,
  models: readonly string[],
  slots: SlotFinder,
  book: ReservationBook,
  now: number,
): { reservation: Reservation; waiting: Waiting } | undefined {
  let best: { model: string; slot: ReservedSlot } | undefined;
  for (const model of models) {
    const slot = slots.earliestSlot(model, job.shape.nodes, job.shape.gpusPerNode);
    if (slot && (!best || slot.at < best.slot.at)) best = { model, slot };
  }
  if (!best) return undefined;
  book.hold(job.id, best.model, job.shape.gpusPerNode, best.slot);
  const nodeIds = best.slot.nodes.map((s) => s.node.id);
  const names = listNames(best.slot.nodes.map((s) => s.node.name));
  return {
    reservation: { jobId: job.id, at: best.slot.at, nodeIds },
    waiting: {
      jobId: job.id,
      reason: Reserved,
      message: `reserved ${names} from ${new Date(best.slot.at).toISOString()} (in ~${inHowLong(now, best.slot.at)}); jobs that would delay it wait`,
    },
  };
}
