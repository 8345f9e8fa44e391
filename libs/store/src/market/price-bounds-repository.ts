import type { Kysely, Selectable } from 'kysely';
import {
  checkPriceBounds,
  GPU_MODELS,
  LEASE_PRODUCTS,
  type LeaseProduct,
  type PriceBounds,
} from '@gantry/domain';
import type { PriceBoundsRepository } from '../api/market';
import type { Database } from '../database/database';
import { toDate } from '../mappers/time';
import type { PriceBoundsTable, Schema } from '../schema';

/** A row as read (bigint: a string from node-postgres, a number from PGlite). */
type Row = Selectable<PriceBoundsTable>;

function fromRow(row: Row): PriceBounds {
  return {
    gpuModel: row.gpu_model,
    product: row.product as LeaseProduct,
    base: Number(row.base_micros),
    min: Number(row.min_micros),
    max: Number(row.max_micros),
  };
}

function toRow(bounds: PriceBounds, now: number) {
  return {
    gpu_model: bounds.gpuModel,
    product: bounds.product,
    base_micros: bounds.base,
    min_micros: bounds.min,
    max_micros: bounds.max,
    updated_at: toDate(now),
  };
}

/** Catalog order, then product order (on-demand, interruptible, reserved). */
const MODEL_ORDER = new Map(GPU_MODELS.map((m, i) => [m.id, i]));
function byCatalog(a: PriceBounds, b: PriceBounds): number {
  const order = (m: string) => MODEL_ORDER.get(m) ?? GPU_MODELS.length;
  return (
    order(a.gpuModel) - order(b.gpuModel) ||
    a.gpuModel.localeCompare(b.gpuModel) ||
    LEASE_PRODUCTS.indexOf(a.product) - LEASE_PRODUCTS.indexOf(b.product)
  );
}

/** Price bounds in PostgreSQL (`price_bounds`, migration 0007): one row per model and product. */
export class KyselyPriceBoundsRepository implements PriceBoundsRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  /** Reads: every price_bounds row. Writes: nothing. */
  async list(): Promise<PriceBounds[]> {
    const rows = await this.db.selectFrom('price_bounds').selectAll().execute();
    return rows.map(fromRow).sort(byCatalog);
  }

  /** Reads: the model's and product's row. Writes: nothing. */
  async get(gpuModel: string, product: LeaseProduct): Promise<PriceBounds | undefined> {
    const row = await this.db
      .selectFrom('price_bounds')
      .selectAll()
      .where('gpu_model', '=', gpuModel)
      .where('product', '=', product)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /**
   * Statement "put price bounds" (one upsert, its own transaction). Reads: nothing. Writes: the
   * model's and product's row (updated_at = now). ValidationError naming each bad field
   * (domain checkPriceBounds) before anything is written. Emits: the bounds as stored.
   */
  async put(bounds: PriceBounds, now: number): Promise<PriceBounds> {
    const stored = checkPriceBounds(bounds);
    const row = toRow(stored, now);
    await this.db
      .insertInto('price_bounds')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['gpu_model', 'product']).doUpdateSet({
          base_micros: row.base_micros,
          min_micros: row.min_micros,
          max_micros: row.max_micros,
          updated_at: row.updated_at,
        }),
      )
      .execute();
    return stored;
  }

  /**
   * Statement "seed default price bounds" (one insert, its own transaction; replicas starting
   * together race harmlessly). Reads: nothing. Writes: a row for each default whose model and
   * product have none; rows an admin set are never touched. Emits: how many rows it added.
   */
  async seedDefaults(defaults: readonly PriceBounds[], now: number): Promise<number> {
    if (defaults.length === 0) return 0;
    const rows = defaults.map((b) => toRow(checkPriceBounds(b), now));
    const added = await this.db
      .insertInto('price_bounds')
      .values(rows)
      .onConflict((oc) => oc.columns(['gpu_model', 'product']).doNothing())
      .returning('gpu_model')
      .execute();
    return added.length;
  }
}
