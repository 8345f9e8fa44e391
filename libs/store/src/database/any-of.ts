import { sql, type RawBuilder } from 'kysely';

/**
 * `= any($1::text[])`: one parameter however many values. `IN (...)` takes one parameter per
 * value, and PostgreSQL allows 65535 in a statement; the scheduler's batches can be larger.
 */
export function anyOf(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}
