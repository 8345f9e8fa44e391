import { Metadata } from '@grpc/grpc-js';
import { FailedPreconditionError, UnauthenticatedError, ValidationError } from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import { LeaseProduct, type LeaseRequest } from '@gantry/proto';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { marketParts } from '../testing/market';
import { controlPlaneParts, T0 } from '../testing/parts';
import { submitted } from '../testing/scheduling';

const H100 = 'H100-80GB';
const A100 = 'A100-80GB';
const HOUR = 3_600_000;
const { LEASE_PRODUCT_ON_DEMAND: ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE: INTERRUPTIBLE } =
  LeaseProduct;
const RESERVED = LeaseProduct.LEASE_PRODUCT_RESERVED;

/**
 * f1: n1 (8 H100, 4 busy with internal work) and n2 (8 H100 free); f2: n3 (4 A100 free). An
 * internal job waits for 4 H100. H100 demand: pressure 4/16, utilization 4/16, so every H100
 * price is base x 1.375; A100 prices are their base.
 */
async function setUp() {
  const parts = controlPlaneParts();
  const market = await marketParts(parts);
  const fabric = (domain: string) => ({ [parts.config.fabricLabel]: domain });
  parts.nodes.add(
    aNode('n1', { gpus: 8, labels: fabric('f1') }),
    aNode('n2', { gpus: 8, labels: fabric('f1') }),
    aNode('n3', { gpus: 4, model: A100, labels: fabric('f2') }),
  );
  parts.jobs.add(
    aPendingJob('job_busy', { state: 'running', attempt: 1, gpus: 4 }),
    anAttempt('job_busy', 1, 'n1', { state: 'running', gpuIndices: [0, 1, 2, 3] }),
  );
  await submitted(parts, aPendingJob('job_waiting', { gpus: 4, gpuModel: H100 }));
  const service = market.offersHandlers.implementation({ finished: () => undefined });
  const { apiKey } = await parts.renters.createRenter('renter-1', 0, parts.clock.now());
  const internal = await parts.tenants.aTenant('team-a');
  return {
    ...parts,
    ...market,
    service,
    renter: bearerMetadata(apiKey.plaintext),
    internal: bearerMetadata(internal.key),
  };
}

const lease = (fields: Partial<LeaseRequest> = {}): LeaseRequest => ({
  product: ON_DEMAND,
  gpuModel: H100,
  gpus: 8,
  nodes: 1,
  duration: { seconds: 2 * 3600, nanos: 0 },
  windowStartTime: undefined,
  bidMicrosPerGpuHour: 0,
  fabricDomain: '',
  ...fields,
});

const offer = (
  product: LeaseProduct,
  gpuModel: string,
  fabricDomain: string,
  gpus: number,
  maxGpusPerNode: number,
  price: number,
): unknown =>
  expect.objectContaining({
    product,
    gpuModel,
    fabricDomain,
    gpus,
    maxGpusPerNode,
    priceMicrosPerGpuHour: price,
  });

describe('OffersHandlers', () => {
  it('is for renters: an internal tenant is PERMISSION_DENIED', async () => {
    const { service, internal } = await setUp();
    const denied = await failureOf(
      callHandler(service.listOffers, { gpuModel: '', product: 0 }, internal),
    );
    expect(denied.message).toBe('tenant team-a is not a renter');
  });

  it('needs a valid key', async () => {
    const { service } = await setUp();
    for (const metadata of [new Metadata(), bearerMetadata('gk_not_a_key')]) {
      expect(
        await failureOf(callHandler(service.listOffers, { gpuModel: '', product: 0 }, metadata)),
      ).toBeInstanceOf(UnauthenticatedError);
      expect(
        await failureOf(callHandler(service.quote, { lease: lease() }, metadata)),
      ).toBeInstanceOf(UnauthenticatedError);
    }
  });

  it('lists what is for sale now: free GPUs less what internal work waits for, per fabric domain', async () => {
    const { service, renter } = await setUp();
    const { offers } = await callHandler(service.listOffers, { gpuModel: '', product: 0 }, renter);
    expect(offers).toEqual([
      offer(ON_DEMAND, H100, 'f1', 8, 8, 3_437_500),
      offer(INTERRUPTIBLE, H100, 'f1', 8, 8, 1_650_000),
      offer(RESERVED, H100, '', 16, 8, 2_750_000),
      offer(ON_DEMAND, A100, 'f2', 4, 4, 880_000),
      offer(INTERRUPTIBLE, A100, 'f2', 4, 4, 420_000),
      offer(RESERVED, A100, '', 4, 4, 700_000),
    ]);
    expect(offers[0]).toMatchObject({
      availableFrom: new Date(T0),
      availableUntil: new Date(T0 + HOUR),
    });
    expect(offers[2]).toMatchObject({
      availableFrom: new Date(T0 + 60_000),
      availableUntil: new Date(T0 + 60_000 + 30 * 24 * HOUR),
    });
  });

  it('filters by GPU model (any case) and product', async () => {
    const { service, renter } = await setUp();
    const request = { gpuModel: 'a100-80gb', product: INTERRUPTIBLE };
    const { offers } = await callHandler(service.listOffers, request, renter);
    expect(offers).toEqual([offer(INTERRUPTIBLE, A100, 'f2', 4, 4, 420_000)]);
  });

  it.each([
    [
      { gpuModel: 'TPU-v5', product: 0 },
      'gpu_model',
      /^must be empty \(every model\) or one of B200-192GB/,
    ],
    [
      { gpuModel: '', product: 9 },
      'product',
      /^must be LEASE_PRODUCT_UNSPECIFIED \(every product\), /,
    ],
  ])('refuses the filter %p, naming the field', async (request, field, message) => {
    const { service, renter } = await setUp();
    const error = await failureOf(callHandler(service.listOffers, request, renter));
    expect((error as ValidationError).violations).toEqual([
      { field, message: expect.stringMatching(message) as string },
    ]);
  });

  it('quotes an on-demand lease: the market price, the total, the derivation, capacity there now', async () => {
    const { service, renter } = await setUp();
    const quote = await callHandler(service.quote, { lease: lease() }, renter);
    expect(quote).toEqual({
      priceMicrosPerGpuHour: 3_437_500,
      // $3.4375 x 8 GPUs x 2 h.
      totalMicros: 55_000_000,
      derivation: {
        baseMicrosPerGpuHour: 2_500_000,
        minMicrosPerGpuHour: 1_500_000,
        maxMicrosPerGpuHour: 6_000_000,
        queuePressure: 0.25,
        utilization: 0.25,
        pressureWeight: 1,
        utilizationWeight: 0.5,
        explanation:
          '$2.50 x (1 + 1 x 0.25 pressure + 0.5 x 0.25 utilization) = $3.4375, within [$1.50, $6.00] per GPU-hour',
      },
      available: true,
      outbids: false,
      message:
        'on-demand costs $3.4375 per GPU-hour; 8 GPUs for 2 h: $55.00 in all. For sale now: 8 GPUs of H100-80GB on one node',
    });
  });

  it('offers the GPUs an interruptible lease holds to a higher bid, and quotes that bid as outbidding (ADR 12)', async () => {
    const parts = await setUp();
    const { service, renter } = parts;
    // n3's 4 A100s: a lease bidding $0.50 (priority 50) holds them all.
    parts.jobs.add(
      aPendingJob('job_lease', {
        state: 'running',
        attempt: 1,
        gpus: 4,
        gpuModel: A100,
        queue: 'market-interruptible',
        priorityClass: 'rental-interruptible',
        priority: 50,
      }),
      anAttempt('job_lease', 1, 'n3', { state: 'running', gpuIndices: [0, 1, 2, 3] }),
    );
    parts.clock.advance(2_000); // past the market view's one-second cache
    const { offers } = await callHandler(
      service.listOffers,
      { gpuModel: A100, product: INTERRUPTIBLE },
      renter,
    );
    expect(offers).toEqual([
      expect.objectContaining({
        product: INTERRUPTIBLE,
        gpuModel: A100,
        fabricDomain: 'f2',
        gpus: 4,
        maxGpusPerNode: 4,
        priceMicrosPerGpuHour: 510_000, // a cent above the lease's $0.50; the floor is $0.42
        outbid: true,
      }),
    ]);
    const ask = (bid: number) =>
      lease({ product: INTERRUPTIBLE, gpuModel: A100, gpus: 4, bidMicrosPerGpuHour: bid });
    const wins = await callHandler(service.quote, { lease: ask(510_000) }, renter);
    expect(wins).toMatchObject({ available: true, outbids: true });
    expect(wins.message).toContain('by outbidding interruptible leases that bid less');
    const equal = await callHandler(service.quote, { lease: ask(500_000) }, renter);
    expect(equal).toMatchObject({ available: false, outbids: false });
  });

  it('says when the capacity is not there now (a lease would wait)', async () => {
    const { service, renter } = await setUp();
    const quote = await callHandler(service.quote, { lease: lease({ nodes: 2 }) }, renter);
    expect(quote).toMatchObject({ totalMicros: 110_000_000, available: false });
    expect(quote.message).toMatch(
      /Not for sale now: 2 nodes x 8 GPUs of H100-80GB in one fabric domain \(1 node has that many GPUs for on-demand leases\); a lease bought now waits for its GPUs$/,
    );
  });

  it('quotes an interruptible lease at its bid, refusing a bid under the floor and saying the floor', async () => {
    const { service, renter } = await setUp();
    const low = lease({ product: INTERRUPTIBLE, bidMicrosPerGpuHour: 1_649_999 });
    const error = await failureOf(callHandler(service.quote, { lease: low }, renter));
    expect((error as ValidationError).violations).toEqual([
      {
        field: 'lease.bid_micros_per_gpu_hour',
        message:
          'must be at least the floor, 1650000 micro-dollars ($1.65) per GPU-hour for H100-80GB now',
      },
    ]);
    const bid = lease({
      product: INTERRUPTIBLE,
      bidMicrosPerGpuHour: 2_000_000,
      duration: { seconds: 90, nanos: 0 },
    });
    const quote = await callHandler(service.quote, { lease: bid }, renter);
    expect(quote).toMatchObject({
      priceMicrosPerGpuHour: 2_000_000,
      // $2 x 8 GPUs x 1.5 minutes.
      totalMicros: 400_000,
      derivation: expect.objectContaining({ baseMicrosPerGpuHour: 1_200_000 }) as unknown,
      available: true,
    });
    expect(quote.message).toMatch(
      /^interruptible pays its bid, \$2.00 per GPU-hour \(the floor now is \$1.65\); 8 GPUs for 0.025 h: \$0.40 in all\./,
    );
  });

  it('quotes a reserved window from the market guarantee', async () => {
    const { service, renter } = await setUp();
    const window = lease({
      product: RESERVED,
      nodes: 2,
      windowStartTime: new Date(T0 + HOUR),
      fabricDomain: 'f1',
    });
    const quote = await callHandler(service.quote, { lease: window }, renter);
    expect(quote).toMatchObject({
      priceMicrosPerGpuHour: 2_750_000,
      totalMicros: 88_000_000,
      available: true,
    });
    const tooBig = lease({ product: RESERVED, nodes: 3, windowStartTime: new Date(T0 + HOUR) });
    expect(await callHandler(service.quote, { lease: tooBig }, renter)).toMatchObject({
      available: false,
    });
  });

  it('refuses a bad lease request naming every field', async () => {
    const { service, renter } = await setUp();
    const error = await failureOf(callHandler(service.quote, {}, renter));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations.map((v) => v.field)).toEqual([
      'lease.product',
      'lease.gpu_model',
      'lease.gpus',
      'lease.duration',
    ]);
    const soon = lease({ product: RESERVED, windowStartTime: new Date(T0 + 30_000) });
    const early = await failureOf(callHandler(service.quote, { lease: soon }, renter));
    expect((early as ValidationError).violations).toEqual([
      {
        field: 'lease.window_start_time',
        message: `must be at least 1 minute from now (after ${new Date(T0 + 60_000).toISOString()})`,
      },
    ]);
  });

  it('fails cleanly when a product has no price bounds', async () => {
    const { service, renter, prices } = await setUp();
    prices.bounds.delete(`${H100}/on-demand`);
    const error = await failureOf(callHandler(service.quote, { lease: lease() }, renter));
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect(error.message).toBe(
      'on-demand leases of H100-80GB have no price bounds; an admin sets them with PutPriceBounds',
    );
  });
});
