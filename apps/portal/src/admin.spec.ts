import { priceSeries } from './admin';
import type { MarketSample } from './api';

const sample = (time: string, onDemand: string, interruptible?: string): MarketSample => ({
  time,
  gpusTotal: 4,
  gpusInternal: 1,
  gpusRented: 2,
  gpusIdle: 1,
  revenueMicros: '0',
  queuePressure: 0,
  prices: [
    {
      gpuModel: 'H100-80GB',
      product: 'LEASE_PRODUCT_ON_DEMAND',
      currentMicrosPerGpuHour: onDemand,
    },
    { gpuModel: 'A100-80GB', product: 'LEASE_PRODUCT_ON_DEMAND', currentMicrosPerGpuHour: '1' },
    ...(interruptible
      ? [
          {
            gpuModel: 'H100-80GB',
            product: 'LEASE_PRODUCT_INTERRUPTIBLE',
            currentMicrosPerGpuHour: interruptible,
          },
        ]
      : []),
  ],
});

describe('the admin charts', () => {
  it("draw each product's price of one GPU model, 0 where a sample has none", () => {
    const samples = [
      sample('2026-12-05T10:00:00Z', '2500000'),
      sample('2026-12-05T10:01:00Z', '3000000', '1200000'),
    ];
    expect(priceSeries(samples, 'H100-80GB')).toEqual([
      { name: 'on-demand', cls: 'p0', values: [2_500_000, 3_000_000] },
      { name: 'interruptible', cls: 'p1', values: [0, 1_200_000] },
      { name: 'reserved', cls: 'p2', values: [0, 0] },
    ]);
  });
});
