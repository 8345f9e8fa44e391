/**
 * The PostgreSQL server engine: a pg pool whose every connection works in one schema (created
 * if missing), with int8 parsed as a JavaScript number (the store's int8 values, fencing tokens
 * and counts, stay far below 2^53).
 */
import { Kysely } from 'kysely';
import pg from 'pg';
import { isPgError, SqlState } from './errors';
import { SchemaScopedPostgresDialect } from './introspector';

const INT8_OID = 20;
/** How long a query waits for a pooled connection before it fails. */
const CONNECT_TIMEOUT_MS = 10_000;

function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format) as unknown;
}

const types: pg.CustomTypesConfig = { getTypeParser };

export interface PostgresOptions {
  readonly url: string;
  readonly schema: string;
  readonly maxConnections: number;
  /** An idle pooled connection failed (the server restarted...); the pool drops it. */
  readonly onPoolError: (error: Error) => void;
}

/** Creates the schema unless it exists; safe when several processes start at once. */
async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog's index.
    if (!isPgError(error, SqlState.UniqueViolation) && !isPgError(error, SqlState.DuplicateSchema))
      throw error;
  } finally {
    await client.end();
  }
}

export async function openPostgres<S>(options: PostgresOptions): Promise<Kysely<S>> {
  await ensureSchema(options.url, options.schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    options: `-c search_path=${options.schema}`,
    max: options.maxConnections,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
  });
  // Without a listener, an idle connection's error would crash the process.
  pool.on('error', options.onPoolError);
  return new Kysely<S>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
}
