/** Writing a posting: the ledger's one write transaction (ADR 10). */
import type { Kysely, Transaction } from 'kysely';
import {
  AlreadyExistsError,
  contentHash,
  InternalError,
  isBalanced,
  isMicros,
  newId,
  NotFoundError,
  FailedPreconditionError,
  type LedgerEntryDraft,
  type Micros,
  type PostingDraft,
  type PostingRecord,
} from '@gantry/domain';
import type { PostOptions } from '../api';
import { anyOf } from '../database/any-of';
import { toDate, toMsOrNull } from '../mappers/time';
import type { Schema } from '../schema';
import { microsOf, postingFromRows } from './rows';

const RENTER_PREFIX = 'renter:';
const KINDS = new Set(['topup', 'charge', 'credit', 'refund', 'chargeback', 'adjustment']);

/** An account row locked for the posting: what its entries continue from. */
interface LockedAccount {
  readonly balance: Micros;
  readonly lastSeq: number;
  readonly lastBookedAt: number | null;
}

/**
 * Transaction "post". Reads: ledger_postings (the key's earlier posting), ledger_accounts (each
 * account of the posting, locked FOR UPDATE in name order, created at 0 when new), renters (the
 * spend limit of each `renter:<tenant>` account). Writes: one ledger_postings row (unique by
 * idempotency key, with the hash of its body), one ledger_entries row per account (numbered per
 * account, with the balance after it, booked at `now` or the account's last entry's time if
 * later), each account's running balance. Emits: nothing.
 *
 * The key is claimed first (its insert waits on a concurrent one with the same key), then the
 * accounts are locked in a fixed order, so concurrent postings never deadlock and each sees the
 * balances the previous one left. Same key, same body: the first posting, created=false, nothing
 * written; another body: AlreadyExistsError. A debit that would take a renter below minus its
 * spend limit (unless `mayOverdraw`): FailedPreconditionError, the whole posting rolled back.
 * Entries that do not sum to zero: InternalError before anything is written (a bug).
 */
export async function postDraft(
  db: Kysely<Schema>,
  draft: PostingDraft,
  now: number,
  options: PostOptions,
): Promise<{ posting: PostingRecord; created: boolean }> {
  checkDraft(draft);
  const bodyHash = postingHash(draft);
  const entries = sortedEntries(draft.entries);
  const id = newId('posting', { now: () => now });
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('ledger_postings')
      .values({
        id,
        idempotency_key: draft.idempotencyKey,
        body_hash: bodyHash,
        kind: draft.kind,
        description: draft.description,
        lease_id: draft.leaseId,
        created_at: toDate(now),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return { posting: await earlierPosting(trx, draft, bodyHash), created: false };
    const accounts = await lockAccounts(trx, entries, now);
    await checkSpendLimits(trx, draft, accounts, options);
    await writeEntries(trx, id, entries, accounts, now);
    return { posting: { ...draft, entries, id, createdAt: now }, created: true };
  });
}

/** The hash that tells a retried posting (same body) from a conflicting one. */
export function postingHash(draft: PostingDraft): string {
  return contentHash({
    kind: draft.kind,
    description: draft.description,
    leaseId: draft.leaseId,
    entries: sortedEntries(draft.entries),
  });
}

function sortedEntries(entries: readonly LedgerEntryDraft[]): LedgerEntryDraft[] {
  return [...entries]
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))
    .map((e) => ({ account: e.account, amount: e.amount }));
}

/** A malformed posting is the caller's bug: InternalError, never written. */
function checkDraft(draft: PostingDraft): void {
  const problem =
    draft.idempotencyKey === ''
      ? 'has no idempotency key'
      : !KINDS.has(draft.kind)
        ? `has an unknown kind "${draft.kind}"`
        : draft.entries.some((e) => !isMicros(e.amount) || e.account === '')
          ? 'has an amount that is not a whole number of micro-dollars, or an empty account'
          : !isBalanced(draft.entries)
            ? 'is not balanced (its entries must name distinct accounts and sum to zero)'
            : undefined;
  if (problem) throw new InternalError(`posting ${draft.idempotencyKey} ${problem}`);
}

async function earlierPosting(
  trx: Transaction<Schema>,
  draft: PostingDraft,
  bodyHash: string,
): Promise<PostingRecord> {
  const row = await trx
    .selectFrom('ledger_postings')
    .selectAll()
    .where('idempotency_key', '=', draft.idempotencyKey)
    .executeTakeFirstOrThrow();
  if (row.body_hash !== bodyHash) {
    throw new AlreadyExistsError(
      `posting ${draft.idempotencyKey} already exists (${row.id}) with another body`,
    );
  }
  const entries = await trx
    .selectFrom('ledger_entries')
    .select(['account', 'amount_micros'])
    .where('posting_id', '=', row.id)
    .execute();
  return postingFromRows(row, entries);
}

/** Locks (creating when new) each account row in name order: the one lock order of the ledger. */
async function lockAccounts(
  trx: Transaction<Schema>,
  entries: readonly LedgerEntryDraft[],
  now: number,
): Promise<Map<string, LockedAccount>> {
  const locked = new Map<string, LockedAccount>();
  for (const { account } of entries) {
    const row = await trx
      .insertInto('ledger_accounts')
      .values({ name: account, created_at: toDate(now) })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({ last_seq: eb.ref('ledger_accounts.last_seq') })),
      )
      .returning(['balance_micros', 'last_seq', 'last_booked_at'])
      .executeTakeFirstOrThrow();
    locked.set(account, {
      balance: microsOf(row.balance_micros),
      lastSeq: microsOf(row.last_seq),
      lastBookedAt: toMsOrNull(row.last_booked_at),
    });
  }
  return locked;
}

async function checkSpendLimits(
  trx: Transaction<Schema>,
  draft: PostingDraft,
  accounts: ReadonlyMap<string, LockedAccount>,
  options: PostOptions,
): Promise<void> {
  const renterEntries = draft.entries.filter((e) => e.account.startsWith(RENTER_PREFIX));
  if (renterEntries.length === 0) return;
  const tenantIds = renterEntries.map((e) => e.account.slice(RENTER_PREFIX.length));
  const rows = await trx
    .selectFrom('renters')
    .select(['tenant_id', 'spend_limit_micros'])
    .where('tenant_id', '=', anyOf(tenantIds))
    .execute();
  const limits = new Map(rows.map((r) => [r.tenant_id, microsOf(r.spend_limit_micros)]));
  for (const entry of renterEntries) {
    const tenantId = entry.account.slice(RENTER_PREFIX.length);
    const limit = limits.get(tenantId);
    if (limit === undefined) throw new NotFoundError('renter', tenantId);
    const after = accounts.get(entry.account)!.balance + entry.amount;
    if (entry.amount < 0 && after < -limit && !options.mayOverdraw) {
      throw new FailedPreconditionError(
        `posting ${draft.idempotencyKey} would take ${entry.account} to ${after} micro-dollars, ` +
          `below minus its spend limit of ${limit}`,
      );
    }
  }
}

async function writeEntries(
  trx: Transaction<Schema>,
  postingId: string,
  entries: readonly LedgerEntryDraft[],
  accounts: ReadonlyMap<string, LockedAccount>,
  now: number,
): Promise<void> {
  const rows = entries.map((entry) => {
    const account = accounts.get(entry.account)!;
    const balance = account.balance + entry.amount;
    if (!Number.isSafeInteger(balance)) {
      throw new InternalError(`account ${entry.account}'s balance would leave the safe integers`);
    }
    return {
      account: entry.account,
      seq: account.lastSeq + 1,
      posting_id: postingId,
      amount_micros: entry.amount,
      balance_after_micros: balance,
      // Times never go back within an account, so a period's entries are a range of its seq.
      booked_at: toDate(Math.max(now, account.lastBookedAt ?? now)),
    };
  });
  await trx.insertInto('ledger_entries').values(rows).execute();
  for (const row of rows) {
    await trx
      .updateTable('ledger_accounts')
      .set({
        balance_micros: row.balance_after_micros,
        last_seq: row.seq,
        last_booked_at: row.booked_at,
      })
      .where('name', '=', row.account)
      .execute();
  }
}
