/**
 * A lease's life as pure functions (ADR 10): each returns the patch to write and the history
 * entries to append, or throws FailedPreconditionError for a move its state does not allow. The
 * lease controller and RentalService apply them through LeaseRepository.update (one transaction).
 */
import { FailedPreconditionError } from '../errors';
import { leaseGpus, type LeaseEndReason, type LeaseRecord } from './lease';
import { costOf, type Micros } from './money';

export interface LeaseEventDraft {
  readonly type: string;
  readonly message: string;
  readonly noticeEndsAt: number | null;
  readonly amount: Micros;
}

export interface LeaseChange {
  readonly patch: Partial<LeaseRecord>;
  readonly events: readonly LeaseEventDraft[];
}

const event = (type: string, message: string, extra: Partial<LeaseEventDraft> = {}) => ({
  type,
  message,
  noticeEndsAt: null,
  amount: 0,
  ...extra,
});

/** pending -> active: its GPUs are the renter's from `now` (the lease holder started). */
export function startLease(lease: LeaseRecord, now: number, where: string): LeaseChange {
  if (lease.state !== 'pending')
    throw new FailedPreconditionError(`lease ${lease.id} is ${lease.state}, not pending`);
  const expiresAt =
    lease.product === 'reserved' ? lease.expiresAt : now + lease.durationSeconds * 1000;
  return {
    patch: { state: 'active', startedAt: now, expiresAt, meteredUntil: now, message: where },
    events: [event('started', `${leaseGpus(lease)} x ${lease.gpuModel} on ${where}`)],
  };
}

/** active -> notice: the GPUs are taken back at `now + noticeSeconds`. */
export function noticeLease(
  lease: LeaseRecord,
  now: number,
  noticeSeconds: number,
  why: string,
): LeaseChange {
  if (lease.state !== 'active')
    throw new FailedPreconditionError(`lease ${lease.id} is ${lease.state}, not active`);
  const noticeEndsAt = now + noticeSeconds * 1000;
  const message = `${NOTICE_PREFIX}${noticeSeconds} s: ${why}`;
  return {
    patch: { state: 'notice', noticeEndsAt, message },
    events: [event('notice', message, { noticeEndsAt })],
  };
}

const NOTICE_PREFIX = 'reclaimed in ';

/**
 * Why a lease in its notice is being reclaimed (what noticeLease was told: internal work, a
 * higher bid, an admin), for the message it ends with; '' when it is not in its notice.
 */
export function noticeCause(lease: LeaseRecord): string {
  if (lease.state !== 'notice' || !lease.message.startsWith(NOTICE_PREFIX)) return '';
  return lease.message.slice(lease.message.indexOf(': ') + 2);
}

/** Ends a lease (any state but ended): the reason's entry, then `ended`. */
export function endLease(
  lease: LeaseRecord,
  now: number,
  reason: LeaseEndReason,
  message: string,
): LeaseChange {
  if (lease.state === 'ended') return { patch: {}, events: [] };
  return {
    patch: { state: 'ended', endReason: reason, endedAt: now, message },
    events: [event(reason, message), event('ended', `lease ${reason}`)],
  };
}

/** Moves a lease's end later (on-demand and interruptible; not ended, not in notice). */
export function extendLease(lease: LeaseRecord, bySeconds: number): LeaseChange {
  if (lease.product === 'reserved')
    throw new FailedPreconditionError(`lease ${lease.id} is reserved: its window is fixed`);
  if (lease.state === 'ended' || lease.state === 'notice')
    throw new FailedPreconditionError(`lease ${lease.id} is ${lease.state}; it cannot be extended`);
  const expiresAt = lease.expiresAt + bySeconds * 1000;
  return {
    patch: { expiresAt, durationSeconds: lease.durationSeconds + bySeconds },
    events: [event('extended', `now ends at ${new Date(expiresAt).toISOString()}`)],
  };
}

/** What a lease delivered in whole seconds from its last charge up to `upTo`, and its cost. */
export interface Metering {
  readonly from: number;
  readonly to: number;
  readonly gpuSeconds: number;
  readonly amount: Micros;
}

/**
 * Charges cover whole minutes of delivery while a lease lasts, and the rest (whole seconds) once
 * it has ended: so every charge's span, and its idempotency key, is the same however often and
 * however late it is computed (a charge posted before a crash is found again, never doubled).
 */
export const METERING_WINDOW_MS = 60_000;

/**
 * The next charge of a started lease at `now`: from `meteredUntil`, the whole minutes delivered
 * since (or, once it has ended, every whole second up to its end), times its GPUs, at its price;
 * null when nothing is due yet.
 */
export function meterLease(lease: LeaseRecord, now: number): Metering | null {
  if (lease.meteredUntil === null) return null;
  const span =
    lease.endedAt !== null
      ? Math.floor((lease.endedAt - lease.meteredUntil) / 1000) * 1000
      : Math.floor((now - lease.meteredUntil) / METERING_WINDOW_MS) * METERING_WINDOW_MS;
  const seconds = span / 1000;
  if (seconds < 1) return null;
  const gpuSeconds = seconds * leaseGpus(lease);
  return {
    from: lease.meteredUntil,
    to: lease.meteredUntil + seconds * 1000,
    gpuSeconds,
    amount: costOf(gpuSeconds, lease.pricePerGpuHour),
  };
}

/** Why a lease is credited. */
export type CreditCause = 'notice-cut-short' | 'fault';

/**
 * The credit a lease is owed (ADR 10), 0 when none: an interruptible lease given less notice
 * than promised gets the shortfall; an on-demand or reserved lease cut short by a fault gets
 * `min(faultCreditSeconds, the seconds it had left)` of its price.
 */
export function creditOwed(
  lease: LeaseRecord,
  now: number,
  givenNoticeSeconds: number,
  faultCreditSeconds: number,
): { readonly amount: Micros; readonly cause: CreditCause; readonly description: string } {
  const gpus = leaseGpus(lease);
  if (lease.product === 'interruptible') {
    const short = Math.max(0, lease.noticeSeconds - Math.max(0, givenNoticeSeconds));
    return {
      amount: costOf(short * gpus, lease.pricePerGpuHour),
      cause: 'notice-cut-short',
      description: `reclaimed with ${Math.max(0, givenNoticeSeconds)} s of the ${lease.noticeSeconds} s notice promised`,
    };
  }
  const left = Math.max(0, Math.floor((lease.expiresAt - now) / 1000));
  const seconds = Math.min(faultCreditSeconds, left);
  return {
    amount: costOf(seconds * gpus, lease.pricePerGpuHour),
    cause: 'fault',
    description: `cut short by a fault with ${left} s left: ${seconds} s credited`,
  };
}
