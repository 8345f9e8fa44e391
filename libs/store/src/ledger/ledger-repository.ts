/**
 * The double-entry ledger on PostgreSQL (ADR 10): postings (post.ts), balances (the running
 * balance column of each account, which the property tests check against the sums of entries)
 * and statements (statement.ts).
 */
import type { Kysely } from 'kysely';
import type { Micros, PostingDraft, PostingRecord } from '@gantry/domain';
import type { LedgerRepository, PostOptions, StatementLineRecord } from '../api';
import type { Database } from '../database/database';
import type { Schema } from '../schema';
import { postDraft } from './post';
import { microsOf } from './rows';
import { statementOf, type StatementRange } from './statement';

/** Charges may not overdraw unless told: the safe default. */
const DEFAULT_OPTIONS: PostOptions = { mayOverdraw: false };

/** LedgerRepository over the ledger_* tables. */
export class KyselyLedgerRepository implements LedgerRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  /** See postDraft (post.ts) for the transaction's contract. */
  post(
    draft: PostingDraft,
    now: number,
    options: PostOptions = DEFAULT_OPTIONS,
  ): Promise<{ posting: PostingRecord; created: boolean }> {
    return postDraft(this.db, draft, now, options);
  }

  /** Query: one ledger_accounts row's running balance. */
  async balance(account: string): Promise<Micros> {
    const row = await this.db
      .selectFrom('ledger_accounts')
      .select('balance_micros')
      .where('name', '=', account)
      .executeTakeFirst();
    return microsOf(row?.balance_micros);
  }

  /** Query: every ledger_accounts row's running balance, by account name. */
  async balances(): Promise<ReadonlyMap<string, Micros>> {
    const rows = await this.db
      .selectFrom('ledger_accounts')
      .select(['name', 'balance_micros'])
      .orderBy('name')
      .execute();
    return new Map(rows.map((r) => [r.name, microsOf(r.balance_micros)]));
  }

  /** See statementOf (statement.ts). */
  statement(
    tenantId: string,
    range: StatementRange,
  ): Promise<{ opening: Micros; closing: Micros; lines: StatementLineRecord[] }> {
    return statementOf(this.db, tenantId, range);
  }
}
