/**
 * The market's money (ADR 10): tenants of kind `renter` with a spend limit, and the double-entry
 * ledger: accounts with a running balance, postings (unique by idempotency key, with a hash of
 * their body) and their entries (bigint micro-dollars, numbered per account, each with the
 * account's balance after it). One statement per entry (PGlite runs one at a time).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `alter table tenants
    add column kind text not null default 'internal' check (kind in ('internal', 'renter'))`,
  `create table renters (
    tenant_id text primary key references tenants (id) on delete cascade,
    spend_limit_micros bigint not null check (spend_limit_micros >= 0),
    created_at timestamptz not null
  )`,
  // balance_micros is the sum of the account's entries, kept in the posting's transaction;
  // last_seq numbers its entries; last_booked_at keeps their times in order (see post.ts).
  `create table ledger_accounts (
    name text primary key,
    balance_micros bigint not null default 0,
    last_seq bigint not null default 0,
    last_booked_at timestamptz,
    created_at timestamptz not null
  )`,
  `create table ledger_postings (
    id text primary key,
    idempotency_key text not null unique,
    body_hash text not null,
    kind text not null check (kind in
      ('topup', 'charge', 'credit', 'refund', 'chargeback', 'adjustment')),
    description text not null,
    lease_id text,
    created_at timestamptz not null
  )`,
  // A lease's statement: its postings.
  `create index ledger_postings_lease on ledger_postings (lease_id) where lease_id is not null`,
  `create table ledger_entries (
    account text not null references ledger_accounts (name),
    seq bigint not null,
    posting_id text not null references ledger_postings (id),
    amount_micros bigint not null,
    balance_after_micros bigint not null,
    booked_at timestamptz not null,
    primary key (account, seq),
    unique (posting_id, account)
  )`,
  // An account's statement for a period.
  `create index ledger_entries_account_time on ledger_entries (account, booked_at, seq)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
