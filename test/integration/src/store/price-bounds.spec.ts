import { sql } from 'kysely';
import { defaultPriceBounds, GPU_MODELS, ValidationError, type PriceBounds } from '@gantry/domain';
import { KyselyPriceBoundsRepository } from '@gantry/store';
import { openPgliteStore, openPostgresStore, T0, type StoreHarness } from './harness';

const H100 = 'H100-80GB';
const onDemand = (patch: Partial<PriceBounds> = {}): PriceBounds => ({
  gpuModel: H100,
  product: 'on-demand',
  base: 3_000_000,
  min: 2_000_000,
  max: 9_000_000,
  ...patch,
});

describe('price bounds on PostgreSQL', () => {
  let store: StoreHarness;
  let prices: KyselyPriceBoundsRepository;

  beforeEach(async () => {
    store = await openPostgresStore('prices');
    prices = new KyselyPriceBoundsRepository(store.database);
  });

  afterEach(async () => {
    await store.close();
  });

  it('starts empty, then seeds the defaults for every catalog model once', async () => {
    expect(await prices.list()).toEqual([]);
    expect(await prices.seedDefaults(defaultPriceBounds(), T0)).toBe(GPU_MODELS.length * 3);
    expect(await prices.seedDefaults(defaultPriceBounds(), T0 + 1000)).toBe(0);
    const listed = await prices.list();
    // Catalog order, then on-demand, interruptible, reserved.
    expect(listed).toEqual(defaultPriceBounds());
    expect(await prices.get(H100, 'interruptible')).toEqual({
      gpuModel: H100,
      product: 'interruptible',
      base: 1_200_000,
      min: 600_000,
      max: 4_000_000,
    });
  });

  it('puts bounds, replaces them, and never lets seeding overwrite what an admin set', async () => {
    expect(await prices.put(onDemand(), T0)).toEqual(onDemand());
    expect(await prices.put(onDemand({ base: 4_000_000 }), T0 + 1000)).toEqual(
      onDemand({ base: 4_000_000 }),
    );
    expect(await prices.seedDefaults(defaultPriceBounds(), T0 + 2000)).toBe(
      GPU_MODELS.length * 3 - 1,
    );
    expect(await prices.get(H100, 'on-demand')).toEqual(onDemand({ base: 4_000_000 }));
    const { rows } = await sql<{ updated_at: Date }>`
      select updated_at from price_bounds where gpu_model = ${H100} and product = 'on-demand'`.execute(
      store.database.db,
    );
    expect(rows[0]?.updated_at.getTime()).toBe(T0 + 1000);
  });

  it('keeps amounts past 2^31 exactly (bigint micro-dollars)', async () => {
    const big = onDemand({ base: 80_000_000, min: 30_000_000, max: 100_000_000 });
    await prices.put(big, T0);
    expect(await prices.get(H100, 'on-demand')).toEqual(big);
    await store.database.db
      .updateTable('price_bounds')
      .set({ max_micros: 5_000_000_000 })
      .where('gpu_model', '=', H100)
      .execute();
    expect((await prices.get(H100, 'on-demand'))?.max).toBe(5_000_000_000);
  });

  it('refuses bad bounds naming the field, and writes nothing', async () => {
    const failure = await prices.put(onDemand({ min: 5_000_000 }), T0).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).violations).toEqual([
      {
        field: 'bounds.min_micros_per_gpu_hour',
        message: 'must be at most the base, 3000000 (min <= base <= max)',
      },
    ]);
    expect(await prices.get(H100, 'on-demand')).toBeUndefined();
  });

  it('has the database refuse inverted bounds too (a check constraint)', async () => {
    const write = store.database.db
      .insertInto('price_bounds')
      .values({
        gpu_model: H100,
        product: 'reserved',
        base_micros: 1,
        min_micros: 2,
        max_micros: 3,
        updated_at: new Date(T0),
      })
      .execute();
    await expect(write).rejects.toThrow(/price_bounds_check|check constraint/);
    const badProduct = store.database.db
      .insertInto('price_bounds')
      .values({
        gpu_model: H100,
        product: 'spot',
        base_micros: 2,
        min_micros: 1,
        max_micros: 3,
        updated_at: new Date(T0),
      })
      .execute();
    await expect(badProduct).rejects.toThrow(/check constraint/);
  });
});

describe('price bounds on embedded PGlite', () => {
  it('seeds, puts and reads bigint amounts back as numbers, as on PostgreSQL', async () => {
    const store = await openPgliteStore();
    try {
      const prices = new KyselyPriceBoundsRepository(store.database);
      expect(await prices.seedDefaults(defaultPriceBounds(), T0)).toBe(GPU_MODELS.length * 3);
      await prices.put(onDemand({ max: 100_000_000 }), T0);
      await store.database.db
        .updateTable('price_bounds')
        .set({ max_micros: 5_000_000_000 })
        .where('gpu_model', '=', 'B200-192GB')
        .execute();
      const listed = await prices.list();
      expect(listed).toHaveLength(GPU_MODELS.length * 3);
      expect(listed.find((b) => b.gpuModel === H100 && b.product === 'on-demand')).toEqual(
        onDemand({ max: 100_000_000 }),
      );
      expect(listed.filter((b) => b.gpuModel === 'B200-192GB').map((b) => b.max)).toEqual([
        5_000_000_000, 5_000_000_000, 5_000_000_000,
      ]);
    } finally {
      await store.close();
    }
  });
});
