import { Metadata } from '@grpc/grpc-js';
import {
  GPU_MODELS,
  PermissionDeniedError,
  UnauthenticatedError,
  ValidationError,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import { LeaseProduct, type PriceBounds } from '@gantry/proto';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { marketParts } from '../testing/market';
import { controlPlaneParts } from '../testing/parts';
import { submitted } from '../testing/scheduling';

const H100 = 'H100-80GB';

async function setUp() {
  const parts = controlPlaneParts();
  const market = await marketParts(parts);
  const service = market.pricesHandlers.implementation({ finished: () => undefined });
  const admin = await parts.tenants.aTenant('admin', true);
  const alice = await parts.tenants.aTenant('alice');
  return {
    parts,
    ...parts,
    ...market,
    service,
    admin: bearerMetadata(admin.key),
    alice: bearerMetadata(alice.key),
  };
}

const bounds = (fields: Partial<PriceBounds> = {}): PriceBounds => ({
  gpuModel: H100,
  product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
  baseMicrosPerGpuHour: 3_000_000,
  minMicrosPerGpuHour: 2_000_000,
  maxMicrosPerGpuHour: 8_000_000,
  currentMicrosPerGpuHour: 0,
  ...fields,
});

describe('PricesHandlers', () => {
  it('lets only admins in', async () => {
    const { service, alice, prices } = await setUp();
    const before = await prices.list();
    for (const call of [
      callHandler(service.putPriceBounds, { bounds: bounds() }, alice),
      callHandler(service.listPriceBounds, {}, alice),
    ])
      expect(await failureOf(call)).toBeInstanceOf(PermissionDeniedError);
    const anonymous = callHandler(service.listPriceBounds, {}, new Metadata());
    expect(await failureOf(anonymous)).toBeInstanceOf(UnauthenticatedError);
    expect(await prices.list()).toEqual(before);
  });

  it('lists the defaults of every catalog model with the price now', async () => {
    const { service, admin } = await setUp();
    const { bounds: list } = await callHandler(service.listPriceBounds, {}, admin);
    expect(list).toHaveLength(GPU_MODELS.length * 3);
    expect(list.slice(9, 12)).toEqual([
      {
        gpuModel: H100,
        product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
        baseMicrosPerGpuHour: 2_500_000,
        minMicrosPerGpuHour: 1_500_000,
        maxMicrosPerGpuHour: 6_000_000,
        // No nodes: no demand, the base price.
        currentMicrosPerGpuHour: 2_500_000,
      },
      expect.objectContaining({
        gpuModel: H100,
        product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
        currentMicrosPerGpuHour: 1_200_000,
      }),
      expect.objectContaining({
        gpuModel: H100,
        product: LeaseProduct.LEASE_PRODUCT_RESERVED,
        currentMicrosPerGpuHour: 2_000_000,
      }),
    ]);
  });

  it('puts bounds (the model in catalog case) and answers with the price they give now', async () => {
    const { parts, service, admin, nodes, prices } = await setUp();
    nodes.add(aNode('n1', { gpus: 8 }));
    await submitted(parts, aPendingJob('job_1', { gpus: 4 }));
    const { bounds: stored } = await callHandler(
      service.putPriceBounds,
      { bounds: bounds({ gpuModel: 'h100-80gb' }) },
      admin,
    );
    // Pressure 4 pending / 8 GPUs: $3.00 x (1 + 1 x 0.5) = $4.50.
    expect(stored).toEqual(bounds({ currentMicrosPerGpuHour: 4_500_000 }));
    expect(await prices.get(H100, 'on-demand')).toEqual({
      gpuModel: H100,
      product: 'on-demand',
      base: 3_000_000,
      min: 2_000_000,
      max: 8_000_000,
    });
  });

  it.each<[string, Partial<PriceBounds>, string, string]>([
    ['a model not in the catalog', { gpuModel: 'TPU-v5' }, 'bounds.gpu_model', 'must be one of'],
    [
      'no product',
      { product: LeaseProduct.LEASE_PRODUCT_UNSPECIFIED },
      'bounds.product',
      'must be LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED',
    ],
    [
      'an unknown product',
      { product: 7 as LeaseProduct },
      'bounds.product',
      'must be LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED',
    ],
    [
      'a zero minimum',
      { minMicrosPerGpuHour: 0 },
      'bounds.min_micros_per_gpu_hour',
      'must be a whole number of micro-dollars from 1 to 100000000 ($100.00) per GPU-hour',
    ],
    [
      'a base over the maximum',
      { baseMicrosPerGpuHour: 9_000_000 },
      'bounds.max_micros_per_gpu_hour',
      'must be at least the base, 9000000 (min <= base <= max)',
    ],
    [
      'a base under the minimum',
      { baseMicrosPerGpuHour: 1_000_000 },
      'bounds.min_micros_per_gpu_hour',
      'must be at most the base, 1000000 (min <= base <= max)',
    ],
  ])('refuses %s, naming the field, and stores nothing', async (_what, patch, field, message) => {
    const { service, admin, prices } = await setUp();
    const before = await prices.list();
    const error = await failureOf(
      callHandler(service.putPriceBounds, { bounds: bounds(patch) }, admin),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([
      { field, message: expect.stringContaining(message) as string },
    ]);
    expect(await prices.list()).toEqual(before);
  });

  it('refuses a call without bounds, naming every field', async () => {
    const { service, admin } = await setUp();
    const error = await failureOf(callHandler(service.putPriceBounds, {}, admin));
    expect((error as ValidationError).violations.map((v) => v.field)).toEqual([
      'bounds.gpu_model',
      'bounds.product',
      'bounds.base_micros_per_gpu_hour',
      'bounds.min_micros_per_gpu_hour',
      'bounds.max_micros_per_gpu_hour',
    ]);
  });
});
