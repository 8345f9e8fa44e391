import { loadTestConfig } from '@gantry/config';
import { createDatabase, migrateToLatest, MIGRATIONS } from '@gantry/store';
import { createTestSchema, type TestSchema } from '@gantry/testing';
import { sql } from 'kysely';

describe('store migrations on PostgreSQL', () => {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await createTestSchema(loadTestConfig().databaseUrl, 'migrate');
  });

  afterEach(async () => {
    await schema.drop();
  });

  it('creates every table from an empty schema, and a second run is a no-op', async () => {
    const database = await createDatabase({ url: schema.url, schema: schema.schema, dataDir: '' });
    try {
      expect(await migrateToLatest(database.db)).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateToLatest(database.db)).toEqual([]);
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = ${schema.schema} order by table_name`.execute(database.db);
      expect(rows.map((r) => r.table_name)).toEqual([
        'api_keys',
        'attempts',
        'files',
        'job_dependencies',
        'job_events',
        'jobs',
        'kysely_migration',
        'kysely_migration_lock',
        'lease_events',
        'leases',
        'ledger_accounts',
        'ledger_entries',
        'ledger_postings',
        'market_samples',
        'nodes',
        'price_bounds',
        'priority_classes',
        'queue_usage',
        'queues',
        'renters',
        'scheduler_fence',
        'tenants',
      ]);
    } finally {
      await database.close();
    }
  });

  it('lets two processes migrate the same schema at once: one applies, one finds it done', async () => {
    const open = () => createDatabase({ url: schema.url, schema: schema.schema, dataDir: '' });
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const results = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      expect(results.map((names) => names.length).sort()).toEqual([
        0,
        Object.keys(MIGRATIONS).length,
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('creates the schema itself when it is missing', async () => {
    const name = `${schema.schema}_new`;
    const database = await createDatabase({ url: schema.url, schema: name, dataDir: '' });
    try {
      expect(await migrateToLatest(database.db)).toEqual(Object.keys(MIGRATIONS));
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
        database.db,
      );
      expect(rows).toEqual([{ schema: name }]);
    } finally {
      await sql.raw(`drop schema if exists "${name}" cascade`).execute(database.db);
      await database.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      createDatabase({ url: schema.url, schema: 'bad"; drop', dataDir: '' }),
    ).rejects.toThrow('database schema "bad"; drop" must be a lower-case SQL identifier');
  });

  it('migrates while other processes create and drop schemas on the same server', async () => {
    const database = await createDatabase({ url: schema.url, schema: schema.schema, dataDir: '' });
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning || i < 5; i++) {
        const other = await createTestSchema(schema.url, 'churn');
        await sql
          .raw(`create table "${other.schema}".t (id serial primary key)`)
          .execute(database.db);
        await other.drop();
      }
    })();
    try {
      // Each run introspects the catalog; a schema vanishing meanwhile must not break it.
      for (let i = 0; i < 15; i++)
        expect(await migrateToLatest(database.db)).toHaveLength(
          i === 0 ? Object.keys(MIGRATIONS).length : 0,
        );
      expect((await database.db.introspection.getTables()).map((t) => t.name)).toContain('jobs');
    } finally {
      churning = false;
      await churn;
      await database.close();
    }
  });
});
