/**
 * Opens the system of record: a PostgreSQL server when a URL is given, else PGlite (in-process
 * PostgreSQL) persisted in a data directory: the embedded default of `gantry up`.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Schema } from '../schema';
import { PGliteDialect } from './pglite-dialect';
import { openPostgres } from './postgres';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly kind: 'postgres' | 'pglite';
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  /** Closes the pool or the embedded database; safe to call twice. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://... of a server; unset or empty: PGlite in `dataDir`. */
  readonly url?: string;
  /** The schema for the tables; created if missing. */
  readonly schema: string;
  /** Directory of the PGlite database (created if missing); unused with a URL. */
  readonly dataDir: string;
  /** Pool size for a server (default 10). */
  readonly maxConnections?: number;
  /** Told when an idle pooled connection fails (default: ignored; the pool replaces it). */
  readonly onPoolError?: (error: Error) => void;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (!SCHEMA_PATTERN.test(options.schema)) {
    throw new Error(`database schema "${options.schema}" must be a lower-case SQL identifier`);
  }
  const db = options.url
    ? await openPostgres<Schema>({
        url: options.url,
        schema: options.schema,
        maxConnections: options.maxConnections ?? 10,
        onPoolError: options.onPoolError ?? (() => undefined),
      })
    : await openPglite(options.dataDir, options.schema);
  let closing: Promise<void> | undefined;
  return {
    db,
    kind: options.url ? 'postgres' : 'pglite',
    schema: options.schema,
    close: () => (closing ??= db.destroy()),
  };
}

async function openPglite(dataDir: string, schema: string): Promise<Kysely<Schema>> {
  await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  try {
    // One session for the life of the instance: the search path set here stays.
    await pglite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}"`);
  } catch (error) {
    await pglite.close();
    throw error;
  }
  return new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
}
