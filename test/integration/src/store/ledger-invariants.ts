/**
 * The ledger's invariants, read straight from its tables (not through the repository under
 * test): what the scenario and property tests check after every step.
 */
import { sql } from 'kysely';
import type { StoreHarness } from './harness';

/** What the tables hold, summed in SQL as numeric (so nothing overflows or rounds). */
export interface LedgerFacts {
  /** Sum of every account's running balance. */
  readonly totalBalance: number;
  /** Accounts whose running balance differs from the sum of their entries. */
  readonly driftedAccounts: string[];
  /** Postings whose entries do not sum to zero (or have fewer than two). */
  readonly unbalancedPostings: string[];
  /** Entries whose balance_after is not the running sum of their account's entries up to them. */
  readonly wrongBalanceAfter: number;
  /** Accounts whose entries are not numbered 1..n, or whose times go back. */
  readonly badSequences: string[];
  /** Postings without entries. */
  readonly emptyPostings: string[];
}

/** Reads the facts of the ledger's tables now. */
export async function ledgerFacts(store: StoreHarness): Promise<LedgerFacts> {
  const db = store.database.db;
  const total = await sql<{ total: string | null }>`
    select sum(balance_micros)::text as total from ledger_accounts`.execute(db);
  const drifted = await sql<{ name: string }>`
    select a.name from ledger_accounts a
    left join ledger_entries e on e.account = a.name
    group by a.name, a.balance_micros
    having a.balance_micros <> coalesce(sum(e.amount_micros), 0)
    order by a.name`.execute(db);
  const unbalanced = await sql<{ posting_id: string }>`
    select posting_id from ledger_entries group by posting_id
    having sum(amount_micros) <> 0 or count(*) < 2 order by posting_id`.execute(db);
  const wrong = await sql<{ count: string | number }>`
    select count(*) as count from (
      select balance_after_micros,
        sum(amount_micros) over (partition by account order by seq) as running
      from ledger_entries) t
    where balance_after_micros <> running`.execute(db);
  const sequences = await sql<{ account: string }>`
    select account from (
      select account, seq, booked_at,
        row_number() over (partition by account order by seq) as n,
        lag(booked_at) over (partition by account order by seq) as previous
      from ledger_entries) t
    where seq <> n or booked_at < previous
    group by account order by account`.execute(db);
  const empty = await sql<{ id: string }>`
    select p.id from ledger_postings p
    where not exists (select 1 from ledger_entries e where e.posting_id = p.id)
    order by p.id`.execute(db);
  return {
    totalBalance: Number(total.rows[0]?.total ?? 0),
    driftedAccounts: drifted.rows.map((r) => r.name),
    unbalancedPostings: unbalanced.rows.map((r) => r.posting_id),
    wrongBalanceAfter: Number(wrong.rows[0]?.count ?? 0),
    badSequences: sequences.rows.map((r) => r.account),
    emptyPostings: empty.rows.map((r) => r.id),
  };
}

/** The facts of a ledger that keeps every invariant. */
export const SOUND_LEDGER: LedgerFacts = {
  totalBalance: 0,
  driftedAccounts: [],
  unbalancedPostings: [],
  wrongBalanceAfter: 0,
  badSequences: [],
  emptyPostings: [],
};

/** Rows in the ledger's tables, to show that a refused posting left nothing behind. */
export async function ledgerRowCounts(store: StoreHarness): Promise<Record<string, number>> {
  const db = store.database.db;
  const { rows } = await sql<{ postings: string; entries: string; accounts: string }>`
    select (select count(*) from ledger_postings)::text as postings,
      (select count(*) from ledger_entries)::text as entries,
      (select count(*) from ledger_accounts)::text as accounts`.execute(db);
  const row = rows[0]!;
  return {
    postings: Number(row.postings),
    entries: Number(row.entries),
    accounts: Number(row.accounts),
  };
}
