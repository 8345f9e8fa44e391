/**
 * Statements: a renter account's entries in a period, optionally of one lease, with the
 * account's balance before, after each line and at the end. An account's entries are numbered
 * (seq) and booked at times that never go back (post.ts), so a period is a range of seq and the
 * balance after each entry is the one stored with it.
 */
import type { Kysely } from 'kysely';
import { renterAccount, type Micros, type PostingKind } from '@gantry/domain';
import type { StatementLineRecord } from '../api';
import { toDate, toMs } from '../mappers/time';
import type { Schema } from '../schema';
import { microsOf } from './rows';

/** [from, to) in epoch ms; null for open ends. */
export interface StatementRange {
  readonly from: number | null;
  readonly to: number | null;
  readonly leaseId?: string;
}

/**
 * Query "statement". Reads: ledger_entries of the account (index account, booked_at, seq) and
 * their ledger_postings (kind, lease, description); for a lease, its postings by lease_id.
 * Writes nothing. Opening: the balance after the last entry before `from` (0 when none);
 * closing: the balance after the last entry before `to` (the account's balance when open).
 */
export async function statementOf(
  db: Kysely<Schema>,
  tenantId: string,
  range: StatementRange,
): Promise<{ opening: Micros; closing: Micros; lines: StatementLineRecord[] }> {
  const account = renterAccount(tenantId);
  let query = db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_postings as p', 'p.id', 'e.posting_id')
    .select([
      'e.booked_at',
      'e.amount_micros',
      'e.balance_after_micros',
      'p.kind',
      'p.lease_id',
      'p.description',
      'p.id',
    ])
    .where('e.account', '=', account);
  if (range.from !== null) query = query.where('e.booked_at', '>=', toDate(range.from));
  if (range.to !== null) query = query.where('e.booked_at', '<', toDate(range.to));
  if (range.leaseId !== undefined) query = query.where('p.lease_id', '=', range.leaseId);
  const [rows, opening, closing] = await Promise.all([
    query.orderBy('e.seq').execute(),
    range.from === null ? 0 : balanceBefore(db, account, range.from),
    balanceBefore(db, account, range.to),
  ]);
  const lines = rows.map((row): StatementLineRecord => ({
    time: toMs(row.booked_at),
    kind: row.kind as PostingKind,
    amount: microsOf(row.amount_micros),
    balanceAfter: microsOf(row.balance_after_micros),
    leaseId: row.lease_id,
    description: row.description,
    postingId: row.id,
  }));
  return { opening, closing, lines };
}

/** The account's balance after its last entry booked before `time` (null: its balance now). */
async function balanceBefore(
  db: Kysely<Schema>,
  account: string,
  time: number | null,
): Promise<Micros> {
  if (time === null) {
    const row = await db
      .selectFrom('ledger_accounts')
      .select('balance_micros')
      .where('name', '=', account)
      .executeTakeFirst();
    return microsOf(row?.balance_micros);
  }
  const row = await db
    .selectFrom('ledger_entries')
    .select('balance_after_micros')
    .where('account', '=', account)
    .where('booked_at', '<', toDate(time))
    .orderBy('booked_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return microsOf(row?.balance_after_micros);
}
