/**
 * Versioned migrations through Kysely's Migrator. The migrations are imported modules (not
 * files read from disk), so a bundled control plane carries them. Add a migration by adding a
 * module and a line below; never edit one that has shipped.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_policy';
import * as m0003 from './0003_gangs';
import * as m0004 from './0004_job_kinds';
import * as m0005 from './0005_market_ledger';
import * as m0006 from './0006_leases';
import * as m0007 from './0007_price_bounds';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_policy': m0002,
  '0003_gangs': m0003,
  '0004_job_kinds': m0004,
  '0005_market_ledger': m0005,
  '0006_leases': m0006,
  '0007_price_bounds': m0007,
};

const provider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/**
 * Brings the connection's current schema to the latest version; returns the names of the
 * migrations applied now (empty when it was up to date). Concurrent callers wait for each
 * other (Kysely takes an advisory lock).
 */
export async function migrateToLatest<DB>(typed: Kysely<DB>): Promise<string[]> {
  // Migrations see the database as it was at their version, not as Schema is today.
  const db = typed as unknown as Kysely<unknown>;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('the database connection has no current schema');
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const detail = error instanceof Error ? error.message : JSON.stringify(error);
    const what = failed ? `migration ${failed}` : `migrating schema ${schema}`;
    throw new Error(`${what} failed: ${detail}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
