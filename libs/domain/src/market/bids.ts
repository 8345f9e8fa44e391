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

/** Why the policy preempts a lease for a higher bid (the words its preemption message holds). */
export const OUTBID_CAUSE = 'a higher bid needs its GPUs';
/** Why a lease is reclaimed for any other job of the cluster's own. */
export const INTERNAL_CAUSE = 'internal work needs its GPUs';

/**
 * What a renter is told of why its lease is reclaimed, from the policy's preemption message
 * (`preempted for <job>: <why>`): the kind of demand, never whose job it is or what it bid
 * (other renters' leases and internal jobs are not the renter's to see).
 */
export function renterReclaimCause(preemptionMessage: string): string {
  return preemptionMessage.includes(OUTBID_CAUSE) ? OUTBID_CAUSE : INTERNAL_CAUSE;
}
