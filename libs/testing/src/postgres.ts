/**
 * A private PostgreSQL schema per test: integration tests share one server and isolate
 * themselves by schema. The caller passes the server URL (loadTestConfig().databaseUrl from
 * @gantry/config; this library may not import it).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestSchema {
  /** The server URL, as given. */
  readonly url: string;
  /** The schema's name: `<prefix>_<time>_<random>`, a lower-case SQL identifier. */
  readonly schema: string;
  /** Drops the schema and everything in it; safe to call twice. */
  drop(): Promise<void>;
}

const PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;

async function run(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named, empty schema on the server at `url`. */
export async function createTestSchema(url: string, prefix = 'test'): Promise<TestSchema> {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`test schema prefix "${prefix}" must be a short lower-case identifier`);
  }
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
  await run(url, `create schema "${schema}"`);
  let dropped: Promise<void> | undefined;
  return {
    url,
    schema,
    drop: () => (dropped ??= run(url, `drop schema if exists "${schema}" cascade`)),
  };
}
