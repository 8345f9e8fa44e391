import { ValidationError } from '../errors';
import { GPU_MODELS } from '../gpu-models';
import { LEASE_PRODUCTS } from './lease';
import { checkPriceBounds, defaultPriceBounds, MAX_PRICE_PER_GPU_HOUR } from './prices';

function violations(run: () => unknown): Array<[string, string]> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => [v.field, v.message]);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('default price bounds', () => {
  const defaults = defaultPriceBounds();
  const find = (model: string, product: string) =>
    defaults.find((b) => b.gpuModel === model && b.product === product);

  it('cover every catalog model and product once', () => {
    expect(defaults).toHaveLength(GPU_MODELS.length * LEASE_PRODUCTS.length);
    expect(new Set(defaults.map((b) => `${b.gpuModel}/${b.product}`)).size).toBe(defaults.length);
  });

  it('are the documented H100 figures', () => {
    expect(find('H100-80GB', 'on-demand')).toMatchObject({
      base: 2_500_000,
      min: 1_500_000,
      max: 6_000_000,
    });
    expect(find('H100-80GB', 'interruptible')).toMatchObject({
      base: 1_200_000,
      min: 600_000,
      max: 4_000_000,
    });
    expect(find('H100-80GB', 'reserved')).toMatchObject({
      base: 2_000_000,
      min: 1_200_000,
      max: 5_000_000,
    });
  });

  it('scale by relative speed to the cent', () => {
    expect(find('A100-80GB', 'on-demand')).toMatchObject({ base: 880_000, min: 530_000 });
    expect(find('B200-192GB', 'on-demand')).toMatchObject({ base: 5_500_000, max: 13_200_000 });
    expect(find('T4-16GB', 'interruptible')).toMatchObject({ base: 60_000, min: 30_000 });
  });

  it('are all valid bounds', () => {
    for (const bounds of defaults) expect(checkPriceBounds(bounds)).toEqual(bounds);
  });
});

describe('checkPriceBounds', () => {
  const good = { gpuModel: 'h100-80gb', product: 'on-demand' as const, base: 2, min: 1, max: 3 };

  it('returns the catalog id', () => {
    expect(checkPriceBounds(good).gpuModel).toBe('H100-80GB');
  });

  it.each<[string, Partial<typeof good> | { product: null }, Array<[string, string]>]>([
    [
      'an unknown model',
      { gpuModel: 'TPU-v5' },
      [['bounds.gpu_model', expect.stringMatching(/^must be one of B200-192GB, H200-141GB, /)]],
    ],
    [
      'no product',
      { product: null },
      [
        [
          'bounds.product',
          'must be LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED',
        ],
      ],
    ],
    [
      'a zero minimum',
      { min: 0 },
      [
        [
          'bounds.min_micros_per_gpu_hour',
          'must be a whole number of micro-dollars from 1 to 100000000 ($100.00) per GPU-hour',
        ],
      ],
    ],
    [
      'a maximum over the cap',
      { max: MAX_PRICE_PER_GPU_HOUR + 1 },
      [['bounds.max_micros_per_gpu_hour', expect.stringContaining('from 1 to 100000000')]],
    ],
    [
      'a fraction',
      { base: 1.5 },
      [['bounds.base_micros_per_gpu_hour', expect.stringContaining('whole number')]],
    ],
    [
      'a base under the minimum',
      { base: 1, min: 2 },
      [['bounds.min_micros_per_gpu_hour', 'must be at most the base, 1 (min <= base <= max)']],
    ],
    [
      'a base over the maximum',
      { base: 4 },
      [['bounds.max_micros_per_gpu_hour', 'must be at least the base, 4 (min <= base <= max)']],
    ],
  ])('refuses %s, naming the field', (_what, patch, expected) => {
    expect(violations(() => checkPriceBounds({ ...good, ...patch }))).toEqual(expected);
  });

  it('names every bad field at once', () => {
    const fields = violations(() =>
      checkPriceBounds({ gpuModel: '', product: null, base: -1, min: 0, max: 0 }),
    ).map(([field]) => field);
    expect(fields).toEqual([
      'bounds.gpu_model',
      'bounds.product',
      'bounds.base_micros_per_gpu_hour',
      'bounds.min_micros_per_gpu_hour',
      'bounds.max_micros_per_gpu_hour',
    ]);
  });
});
