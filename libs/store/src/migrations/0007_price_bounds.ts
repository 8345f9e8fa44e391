/**
 * Price bounds of the GPU market (ADR 10): per GPU model and lease product, the base price and
 * the range the market price moves in, in micro-dollars per GPU-hour. Empty here: the control
 * plane seeds the documented defaults at start-up for every catalog model that has none (so a
 * model added to the catalog later gets them too). One statement per entry (PGlite runs one at
 * a time).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `create table price_bounds (
    gpu_model text not null,
    product text not null check (product in ('on-demand', 'interruptible', 'reserved')),
    base_micros bigint not null,
    min_micros bigint not null,
    max_micros bigint not null,
    updated_at timestamptz not null,
    primary key (gpu_model, product),
    check (min_micros > 0 and min_micros <= base_micros and base_micros <= max_micros)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
