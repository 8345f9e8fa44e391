import type { Kysely } from 'kysely';
import type { MarketSampleRecord, MarketSampleRepository } from '../api';
import type { Database } from '../database/database';
import { toDate, toMs } from '../mappers/time';
import type { Schema } from '../schema';

/** The market's samples for the admin charts (one per minute; a repeated time is kept once). */
export class KyselyMarketSampleRepository implements MarketSampleRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  async record(sample: MarketSampleRecord): Promise<void> {
    await this.db
      .insertInto('market_samples')
      .values({
        time: toDate(sample.time),
        gpus_total: sample.gpusTotal,
        gpus_internal: sample.gpusInternal,
        gpus_rented: sample.gpusRented,
        gpus_idle: sample.gpusIdle,
        revenue_micros: sample.revenue,
        queue_pressure: sample.queuePressure,
        prices: JSON.stringify(sample.prices),
      })
      .onConflict((oc) => oc.column('time').doNothing())
      .execute();
  }

  async list(from: number, to: number, limit: number): Promise<MarketSampleRecord[]> {
    const rows = await this.db
      .selectFrom('market_samples')
      .selectAll()
      .where('time', '>=', toDate(from))
      .where('time', '<=', toDate(to))
      .orderBy('time')
      .execute();
    const step = Math.max(1, Math.ceil(rows.length / Math.max(1, limit)));
    return rows
      .filter((_, i) => i % step === 0)
      .map((r) => ({
        time: toMs(r.time),
        gpusTotal: r.gpus_total,
        gpusInternal: r.gpus_internal,
        gpusRented: r.gpus_rented,
        gpusIdle: r.gpus_idle,
        revenue: Number(r.revenue_micros),
        queuePressure: r.queue_pressure,
        prices: r.prices as Record<string, number>,
      }));
  }
}
