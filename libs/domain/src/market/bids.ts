/**
 * How interruptible bids compete (ADR 12). A lease job's priority within its class
 * (`rental-interruptible`) is its bid in whole cents per GPU-hour, at most the largest job
 * priority (1000: bids of $10 and above rank alike). A pending lease preempts running ones of a
 * strictly lower priority, so the least bid that displaces a lease is one step, a cent, above
 * its bid's priority; a lease at the top priority cannot be displaced by a bid.
 */
import { SPEC_LIMITS } from '../job-spec';
import type { Micros } from './money';

/** One step of bid priority: a cent per GPU-hour. */
export const BID_STEP_MICROS = 10_000;

/** The lease job's priority within its class: the bid in cents (rounded), at most 1000. */
export function bidPriority(bidPerGpuHour: Micros): number {
  return Math.min(SPEC_LIMITS.maxPriority, Math.round(bidPerGpuHour / BID_STEP_MICROS));
}

/**
 * The least bid in whole cents (micro-dollars per GPU-hour) whose priority is above `priority`:
 * what outbids a lease of that priority (half a cent less rounds up to it too); null when no bid
 * can (the top priority).
 */
export function leastBidOver(priority: number): Micros | null {
  if (priority >= SPEC_LIMITS.maxPriority) return null;
  return (Math.max(0, Math.floor(priority)) + 1) * BID_STEP_MICROS;
}
