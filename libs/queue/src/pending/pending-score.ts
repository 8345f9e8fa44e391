/**
 * The pending index orders job ids by one sorted-set score: priority descending, then submit time
 * ascending; Redis breaks equal scores by member (job id) in byte order.
 *
 *   score = (MAX_PRIORITY - priority) * 2^42 + submittedAt
 *
 * Budget: a Redis score is an IEEE double, exact for integers below 2^53. Priorities 0..1000 take
 * 1001 values < 2^10, so the priority part is below 2^10 * 2^42 = 2^52, and submittedAt must be
 * below 2^42 ms (4 398 046 511 104 ms: year 2109). The largest score, 1001 * 2^42 - 1, is below
 * 2^53, so every score is an exact integer and the order never collapses two keys.
 */
import { SPEC_LIMITS, ValidationError } from '@gantry/domain';
import { type PendingEntry } from '../api';

export const MAX_PRIORITY = SPEC_LIMITS.maxPriority;
export const TIME_BITS = 42;
const TIME_SPAN = 2 ** TIME_BITS;
/** Latest submit time the score can hold (epoch ms, in the year 2109). */
export const MAX_SUBMITTED_AT = TIME_SPAN - 1;

/** The sorted-set score of an entry; ValidationError when a part is out of range. */
export function pendingScore(entry: Pick<PendingEntry, 'priority' | 'submittedAt'>): number {
  const { priority, submittedAt } = entry;
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw ValidationError.field(
      'priority',
      `must be an integer from 0 to ${MAX_PRIORITY}, got ${priority}`,
    );
  }
  if (!Number.isInteger(submittedAt) || submittedAt < 0 || submittedAt > MAX_SUBMITTED_AT) {
    throw ValidationError.field(
      'submittedAt',
      `must be epoch milliseconds from 0 to ${MAX_SUBMITTED_AT}, got ${submittedAt}`,
    );
  }
  return (MAX_PRIORITY - priority) * TIME_SPAN + submittedAt;
}

/** The priority and submit time a score encodes (the inverse of pendingScore). */
export function decodePendingScore(score: number): { priority: number; submittedAt: number } {
  const submittedAt = score % TIME_SPAN;
  return { priority: MAX_PRIORITY - (score - submittedAt) / TIME_SPAN, submittedAt };
}
