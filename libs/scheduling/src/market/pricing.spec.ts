import type { PriceBounds } from '@gantry/domain';
import { aCluster, aJob, aNode, aRunningJob } from '../testing/builders';
import { marketFigures } from './figures';
import { DEFAULT_PRICE_WEIGHTS, formatPrice, priceOf, priceTable } from './pricing';

const H100 = { base: 2_500_000, min: 1_500_000, max: 6_000_000 };

describe('priceOf', () => {
  it.each([
    // pressure, utilization, price, explanation
    [
      0,
      0,
      2_500_000,
      '$2.50 x (1 + 1 x 0 pressure + 0.5 x 0 utilization) = $2.50, within [$1.50, $6.00] per GPU-hour',
    ],
    [
      0.25,
      0.6,
      3_875_000,
      '$2.50 x (1 + 1 x 0.25 pressure + 0.5 x 0.6 utilization) = $3.875, within [$1.50, $6.00] per GPU-hour',
    ],
    [
      1,
      1,
      6_000_000,
      '$2.50 x (1 + 1 x 1 pressure + 0.5 x 1 utilization) = $6.25, capped at the max $6.00 per GPU-hour',
    ],
    [
      1 / 3,
      0,
      3_333_333,
      '$2.50 x (1 + 1 x 0.333 pressure + 0.5 x 0 utilization) = $3.333333, within [$1.50, $6.00] per GPU-hour',
    ],
  ])(
    'prices pressure %p and utilization %p at %p micro-dollars',
    (pressure, utilization, price, explanation) => {
      expect(priceOf(H100, { pressure, utilization }, DEFAULT_PRICE_WEIGHTS)).toEqual({
        ...H100,
        pressure,
        utilization,
        pressureWeight: 1,
        utilizationWeight: 0.5,
        unclamped: price === 6_000_000 ? 6_250_000 : price,
        price,
        explanation,
      });
    },
  );

  it('rounds half up to the micro-dollar before clamping', () => {
    const bounds = { base: 3, min: 1, max: 100 };
    expect(priceOf(bounds, { pressure: 0.5, utilization: 0 }, DEFAULT_PRICE_WEIGHTS).price).toBe(5);
    expect(priceOf(bounds, { pressure: 0.1, utilization: 0 }, DEFAULT_PRICE_WEIGHTS).price).toBe(3);
  });

  it('raises a price under the minimum to it (a discounting weight)', () => {
    const derivation = priceOf(
      H100,
      { pressure: 1, utilization: 0 },
      { pressure: -0.8, utilization: 0 },
    );
    expect(derivation).toMatchObject({ unclamped: 500_000, price: 1_500_000 });
    expect(derivation.explanation).toMatch(/= \$0.50, raised to the min \$1.50 per GPU-hour$/);
  });
});

describe('formatPrice', () => {
  it.each([
    [2_500_000, '$2.50'],
    [1_000_000, '$1.00'],
    [3_875_000, '$3.875'],
    [1, '$0.000001'],
    [12_345_678, '$12.345678'],
    [-1_200_000, '-$1.20'],
  ])('shows %p as %p', (micros, text) => {
    expect(formatPrice(micros)).toBe(text);
  });
});

describe('priceTable', () => {
  it('prices every bounded product with the demand on its model', () => {
    const snapshot = aCluster()
      .node(aNode('n1').gpus(4, 'H100-80GB'), aNode('n2').gpus(4, 'A100-80GB'))
      .running(aRunningJob('r1').on('n1', [0, 1]).model('H100-80GB'))
      .pending(aJob('j1').gpus(4, 'H100-80GB'))
      .snapshot();
    const bounds: PriceBounds[] = [
      { gpuModel: 'H100-80GB', product: 'on-demand', ...H100 },
      {
        gpuModel: 'A100-80GB',
        product: 'interruptible',
        base: 400_000,
        min: 200_000,
        max: 900_000,
      },
      { gpuModel: 'B200-192GB', product: 'on-demand', ...H100 },
    ];
    const prices = priceTable(bounds, marketFigures(snapshot), DEFAULT_PRICE_WEIGHTS);
    // H100: pressure 4/4, utilization 2/4: 2.50 x 2.25 = 5.625.
    expect(prices('H100-80GB', 'on-demand')).toMatchObject({
      pressure: 1,
      utilization: 0.5,
      price: 5_625_000,
    });
    expect(prices('A100-80GB', 'interruptible')).toMatchObject({
      pressure: 0,
      utilization: 0,
      price: 400_000,
    });
    // A model without nodes has no demand: its base price.
    expect(prices('B200-192GB', 'on-demand')?.price).toBe(2_500_000);
    expect(prices('H100-80GB', 'reserved')).toBeUndefined();
  });
});
