/**
 * Prices, offers and quotes over real gRPC (ADR 10): a control plane with its price bounds
 * seeded at start-up, an agent with simulated GPUs in a fabric domain, an admin setting bounds,
 * a tenant's key listing offers and getting quotes.
 */
import { credentials, Metadata } from '@grpc/grpc-js';
import { callUnary, channelOptions } from '@gantry/grpc';
import {
  LeaseProduct,
  RentalServiceClient,
  type LeaseRequest,
  type PriceBounds,
} from '@gantry/proto';
import { Cluster, eventually, type GantryClient } from './harness';

const L40S = 'L40S-48GB';
const TIMEOUT_MS = 10_000;

describe('market prices, offers and quotes', () => {
  let cluster: Cluster;
  let admin: GantryClient;
  let rental: RentalServiceClient;
  let renter: Metadata;

  beforeAll(async () => {
    cluster = await Cluster.create();
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', `2x${L40S}`, undefined, {
      GANTRY_NODE_LABELS: 'gantry.io/fabric=rack-1',
    });
    admin = cluster.client();
    const created = await callUnary(
      admin.admin,
      'createRenter',
      { name: 'renter-1', spendLimitMicros: 0 },
      admin.metadata,
      TIMEOUT_MS,
    );
    renter = cluster.client(cluster.controlPlanes[0], created.apiKey).metadata;
    rental = new RentalServiceClient(
      cluster.controlPlanes[0]!.address,
      credentials.createInsecure(),
      channelOptions(4 * 1024 * 1024),
    );
  });

  afterAll(async () => {
    rental?.close();
    await cluster.destroy();
  });

  const l40sOnDemand = (fields: Partial<PriceBounds> = {}): PriceBounds => ({
    gpuModel: L40S,
    product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
    baseMicrosPerGpuHour: 1_000_000,
    minMicrosPerGpuHour: 500_000,
    maxMicrosPerGpuHour: 3_000_000,
    currentMicrosPerGpuHour: 0,
    ...fields,
  });

  it('seeds the default bounds and lets only an admin change them, naming a bad field', async () => {
    const { bounds } = await callUnary(
      admin.admin,
      'listPriceBounds',
      {},
      admin.metadata,
      TIMEOUT_MS,
    );
    // The H100 defaults scaled by an L40S's relative speed (0.36); nothing runs: the base price.
    expect(
      bounds.find((b) => b.gpuModel === L40S && b.product === LeaseProduct.LEASE_PRODUCT_ON_DEMAND),
    ).toEqual(
      l40sOnDemand({
        baseMicrosPerGpuHour: 900_000,
        minMicrosPerGpuHour: 540_000,
        maxMicrosPerGpuHour: 2_160_000,
        currentMicrosPerGpuHour: 900_000,
      }),
    );
    await expect(
      callUnary(rental, 'listOffers', { gpuModel: '', product: 0 }, new Metadata(), TIMEOUT_MS),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      callUnary(admin.admin, 'putPriceBounds', { bounds: l40sOnDemand() }, renter, TIMEOUT_MS),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(
      callUnary(
        admin.admin,
        'putPriceBounds',
        { bounds: l40sOnDemand({ minMicrosPerGpuHour: 2_000_000 }) },
        admin.metadata,
        TIMEOUT_MS,
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'bounds.min_micros_per_gpu_hour: must be at most the base, 1000000 (min <= base <= max)',
      ) as string,
    });
    const put = await callUnary(
      admin.admin,
      'putPriceBounds',
      { bounds: l40sOnDemand() },
      admin.metadata,
      TIMEOUT_MS,
    );
    expect(put.bounds).toEqual(l40sOnDemand({ currentMicrosPerGpuHour: 1_000_000 }));
  });

  it('offers the idle GPUs per fabric domain and quotes a lease with its derivation', async () => {
    await callUnary(
      admin.admin,
      'putPriceBounds',
      { bounds: l40sOnDemand() },
      admin.metadata,
      TIMEOUT_MS,
    );
    // The agent registers after it says it is ready.
    const filter = { gpuModel: L40S, product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND };
    const offers = await eventually('the node is on offer', async () => {
      const { offers: list } = await callUnary(rental, 'listOffers', filter, renter, TIMEOUT_MS);
      return list.length > 0 ? list : undefined;
    });
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
      gpuModel: L40S,
      fabricDomain: 'rack-1',
      gpus: 2,
      maxGpusPerNode: 2,
      priceMicrosPerGpuHour: 1_000_000,
    });

    const lease: LeaseRequest = {
      product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
      gpuModel: L40S,
      gpus: 2,
      nodes: 0,
      duration: { seconds: 5400, nanos: 0 },
      windowStartTime: undefined,
      bidMicrosPerGpuHour: 0,
      fabricDomain: 'rack-1',
    };
    const quote = await callUnary(rental, 'quote', { lease }, renter, TIMEOUT_MS);
    expect(quote).toMatchObject({
      priceMicrosPerGpuHour: 1_000_000,
      totalMicros: 3_000_000,
      available: true,
      derivation: { baseMicrosPerGpuHour: 1_000_000, queuePressure: 0, utilization: 0 },
    });
    await expect(
      callUnary(rental, 'quote', { lease: { ...lease, gpus: 65 } }, renter, TIMEOUT_MS),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(
        'lease.gpus: must be from 1 to 64 (GPUs on each node)',
      ) as string,
    });
  });
});
