/**
 * The double-entry ledger (ADR 10): every posting is a set of entries on accounts summing to
 * zero, written at once with an idempotency key. Account names say whose money it is.
 */
import type { Micros } from './money';

/** A renter's balance: money it has put in, less what it spent (may go down to -spend limit). */
export const renterAccount = (tenantId: string) => `renter:${tenantId}`;
/** Money in from outside (top-ups): goes negative as renters put money in. */
export const TOPUPS_ACCOUNT = 'topups';
/** What renters paid, per product. */
export const revenueAccount = (product: string) => `revenue:${product}`;
/** What was given back to renters (broken promises, faults). */
export const CREDITS_ACCOUNT = 'credits';
/** An internal tenant's GPU usage charged back at the internal rate. */
export const chargebackAccount = (tenantId: string) => `chargeback:${tenantId}`;
/** The other side of the internal chargebacks. */
export const INTERNAL_USAGE_ACCOUNT = 'internal-usage';

/** What a posting is, for statements. */
export type PostingKind = 'topup' | 'charge' | 'credit' | 'refund' | 'chargeback' | 'adjustment';

export interface LedgerEntryDraft {
  readonly account: string;
  /** Positive: the account gains; negative: it loses. */
  readonly amount: Micros;
}

/** A posting before the store writes it. */
export interface PostingDraft {
  /** Unique: the same key with the same body is the same posting; with another, an error. */
  readonly idempotencyKey: string;
  readonly kind: PostingKind;
  readonly description: string;
  /** The lease it is about, if any. */
  readonly leaseId: string | null;
  readonly entries: readonly LedgerEntryDraft[];
}

export interface PostingRecord extends PostingDraft {
  readonly id: string;
  readonly createdAt: number;
}

/** Whether a posting's entries sum to zero and name each account once. */
export function isBalanced(entries: readonly LedgerEntryDraft[]): boolean {
  const accounts = new Set(entries.map((e) => e.account));
  return (
    entries.length >= 2 &&
    accounts.size === entries.length &&
    entries.reduce((sum, e) => sum + e.amount, 0) === 0
  );
}

/** A renter's top-up: money from outside onto its balance. */
export function topUpPosting(
  tenantId: string,
  amount: Micros,
  key: string,
  note: string,
): PostingDraft {
  return {
    idempotencyKey: key,
    kind: 'topup',
    description: note || 'top-up',
    leaseId: null,
    entries: [
      { account: renterAccount(tenantId), amount },
      { account: TOPUPS_ACCOUNT, amount: -amount },
    ],
  };
}

/** A lease's charge for seconds delivered in [from, to) (epoch ms). */
export function chargePosting(
  lease: { readonly id: string; readonly tenantId: string; readonly product: string },
  amount: Micros,
  from: number,
  to: number,
  gpuSeconds: number,
): PostingDraft {
  return {
    idempotencyKey: `lease/${lease.id}/charge/${from}-${to}`,
    kind: 'charge',
    description: `${gpuSeconds} GPU-seconds of lease ${lease.id}`,
    leaseId: lease.id,
    entries: [
      { account: renterAccount(lease.tenantId), amount: -amount },
      { account: revenueAccount(lease.product), amount },
    ],
  };
}

/** A credit to a renter for a lease (a notice cut short, a fault), once per cause. */
export function creditPosting(
  lease: { readonly id: string; readonly tenantId: string },
  amount: Micros,
  cause: string,
  description: string,
): PostingDraft {
  return {
    idempotencyKey: `lease/${lease.id}/credit/${cause}`,
    kind: 'credit',
    description,
    leaseId: lease.id,
    entries: [
      { account: renterAccount(lease.tenantId), amount },
      { account: CREDITS_ACCOUNT, amount: -amount },
    ],
  };
}
