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
        'job_events',
        'jobs',
        'kysely_migration',
        'kysely_migration_lock',
        'nodes',
        'scheduler_fence',
        'tenants',
      ]);
    } finally {
      await database.close();
    }
  });
});
