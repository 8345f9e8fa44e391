/**
 * Renters (ADR 10): tenants of kind `renter`, created with an API key exactly like any tenant
 * (tenants/tenant-repository.ts), plus a spend limit (renters) and a ledger account
 * `renter:<tenant>` whose running balance is the renter's balance.
 */
import { sql, type Kysely } from 'kysely';
import {
  checkMicros,
  NotFoundError,
  renterAccount,
  type Credential,
  type Micros,
} from '@gantry/domain';
import type { RenterRecord, RenterRepository } from '../api';
import type { Database } from '../database/database';
import { microsOf } from '../ledger/rows';
import { tenantFromRow } from '../mappers/nodes';
import { toDate } from '../mappers/time';
import type { Schema } from '../schema';
import { insertTenant } from '../tenants/tenant-repository';

/** RenterRepository over tenants (kind renter), renters and ledger_accounts. */
export class KyselyRenterRepository implements RenterRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  /**
   * Transaction "create renter". Writes: one tenants row (kind renter) and its first api_keys
   * row (as CreateTenant does), its renters row, and its ledger account at 0. ValidationError
   * (`name`, `spend_limit_micros`); AlreadyExistsError when the name is taken by any tenant.
   */
  async createRenter(
    name: string,
    spendLimit: Micros,
    now: number,
  ): Promise<{ renter: RenterRecord; apiKey: Credential }> {
    checkSpendLimit(spendLimit);
    const { tenant, apiKey } = await this.db.transaction().execute(async (trx) => {
      const created = await insertTenant(trx, { name, kind: 'renter', now });
      await trx
        .insertInto('renters')
        .values({
          tenant_id: created.tenant.id,
          spend_limit_micros: spendLimit,
          created_at: toDate(now),
        })
        .execute();
      await trx
        .insertInto('ledger_accounts')
        .values({ name: renterAccount(created.tenant.id), created_at: toDate(now) })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      return created;
    });
    return { renter: { tenant, spendLimit, balance: 0, activeLeases: 0 }, apiKey };
  }

  /** Query: every renter with its limit and balance, by name. */
  async listRenters(): Promise<RenterRecord[]> {
    return this.renters();
  }

  /** Query: one renter by name; NotFoundError for a name that is no renter. */
  async getRenter(name: string): Promise<RenterRecord> {
    const [renter] = await this.renters(name);
    if (!renter) throw new NotFoundError('renter', name);
    return renter;
  }

  /** Query: the tenant's kind. */
  async isRenter(tenantId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('tenants')
      .select('kind')
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return row?.kind === 'renter';
  }

  /** Writes: the renter's renters row. ValidationError (`spend_limit_micros`); NotFoundError. */
  async setSpendLimit(name: string, spendLimit: Micros): Promise<RenterRecord> {
    checkSpendLimit(spendLimit);
    const result = await this.db
      .updateTable('renters')
      .set({ spend_limit_micros: spendLimit })
      .where('tenant_id', '=', (eb) =>
        eb.selectFrom('tenants').select('id').where('name', '=', name).where('kind', '=', 'renter'),
      )
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('renter', name);
    return this.getRenter(name);
  }

  private async renters(name?: string): Promise<RenterRecord[]> {
    let query = this.db
      .selectFrom('tenants')
      .innerJoin('renters', 'renters.tenant_id', 'tenants.id')
      .leftJoin('ledger_accounts', (join) =>
        join.on(sql<boolean>`ledger_accounts.name = ${renterAccount('')} || tenants.id`),
      )
      .selectAll('tenants')
      .select(['renters.spend_limit_micros', 'ledger_accounts.balance_micros'])
      .select((eb) =>
        eb
          .selectFrom('leases')
          .select(sql<string | number>`count(*)`.as('n'))
          .whereRef('leases.tenant_id', '=', 'tenants.id')
          .where('leases.state', '<>', 'ended')
          .as('active_leases'),
      )
      .where('tenants.kind', '=', 'renter');
    if (name !== undefined) query = query.where('tenants.name', '=', name);
    const rows = await query.orderBy('tenants.name').execute();
    return rows.map((row) => ({
      tenant: tenantFromRow(row),
      spendLimit: microsOf(row.spend_limit_micros),
      balance: microsOf(row.balance_micros),
      activeLeases: Number(row.active_leases ?? 0),
    }));
  }
}

function checkSpendLimit(spendLimit: Micros): void {
  checkMicros('spend_limit_micros', spendLimit, 0);
}
