import { FailedPreconditionError, ValidationError } from '@gantry/domain';
import { LeaseProduct, type ListOffersRequest, type QuoteRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { startMarketDouble, type MarketDouble } from '../testing/market-double';
import { anOffer, gantry, NOW } from '../testing/market-fixtures';

let double: MarketDouble;
afterEach(() => double.close());

describe('gantry offers', () => {
  beforeEach(async () => {
    double = await startMarketDouble({
      now: NOW,
      offers: [
        anOffer(),
        anOffer({
          product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
          gpus: 4,
          maxGpusPerNode: 4,
          priceMicrosPerGpuHour: 950_000,
          availableUntil: undefined,
        }),
        anOffer({
          product: LeaseProduct.LEASE_PRODUCT_RESERVED,
          availableFrom: new Date('2026-12-06T10:00:00Z'),
          availableUntil: new Date('2026-12-06T18:00:00Z'),
          priceMicrosPerGpuHour: 2_000_000,
        }),
      ],
    });
  });

  it('lists what is for sale, the interruptible price as the floor a bid must reach', async () => {
    const { code, stdout } = await gantry(double, ['offers']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'PRODUCT        MODEL      DOMAIN  GPUS  PER-NODE          PRICE  FROM               FOR',
      'on-demand      H100-80GB  ib-1      16         8    $2.50/GPU-h  now                 6h',
      'interruptible  H100-80GB  ib-1       4         4  >=$0.95/GPU-h  now                  -',
      'reserved       H100-80GB  ib-1      16         8    $2.00/GPU-h  2026-12-06T10:00Z   8h',
      '',
    ]);
    expect(double.requests<ListOffersRequest>('ListOffers')).toEqual([
      { gpuModel: '', product: LeaseProduct.LEASE_PRODUCT_UNSPECIFIED },
    ]);
    expect(double.calls[0]?.apiKey).toBe('gk_test');
  });

  it('sends the filters, and prints protobuf JSON with micro-dollars', async () => {
    const { stdout } = await gantry(double, [
      'offers',
      '--gpu-model',
      'H100-80GB',
      '--product',
      'interruptible',
      '-o',
      'json',
    ]);
    expect(double.requests('ListOffers')).toEqual([
      { gpuModel: 'H100-80GB', product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE },
    ]);
    const json = JSON.parse(stdout) as { offers: Record<string, unknown>[] };
    expect(json.offers[1]).toMatchObject({
      product: 'LEASE_PRODUCT_INTERRUPTIBLE',
      priceMicrosPerGpuHour: 950000,
    });
  });

  it('lists GPUs that interruptible leases hold as an outbid line: the least bid that wins, after notice', async () => {
    await double.close();
    double = await startMarketDouble({
      now: NOW,
      offers: [
        anOffer({
          product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
          gpus: 4,
          maxGpusPerNode: 4,
          priceMicrosPerGpuHour: 2_010_000,
          outbid: true,
        }),
      ],
    });
    const { stdout } = await gantry(double, ['offers']);
    expect(stdout.split('\n')).toEqual([
      'PRODUCT                 MODEL      DOMAIN  GPUS  PER-NODE          PRICE  FROM          FOR',
      'interruptible (outbid)  H100-80GB  ib-1       4         4  >=$2.01/GPU-h  after notice   6h',
      '',
    ]);
  });

  it('says when nothing is for sale, or nothing matches', async () => {
    await double.close();
    double = await startMarketDouble({ now: NOW });
    await expect(gantry(double, ['offers'])).resolves.toMatchObject({
      code: 0,
      stdout: 'no GPUs for sale now\n',
    });
    await expect(gantry(double, ['offers', '--gpu-model', 'L4-24GB'])).resolves.toMatchObject({
      stdout: 'no offers match now\n',
    });
  });

  it('refuses an unknown product before connecting (exit 2)', async () => {
    const { code, stderr, connected } = await gantry(double, ['offers', '--product', 'spot']);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toBe(
      "gantry: error: --product: must be one of interruptible, on-demand, reserved (got 'spot')\n",
    );
    expect(connected).toEqual([]);
  });
});

describe('gantry quote', () => {
  beforeEach(async () => {
    double = await startMarketDouble({
      now: NOW,
      quote: (lease) => ({
        priceMicrosPerGpuHour: lease.bidMicrosPerGpuHour || 950_000,
        totalMicros: 19_200_000,
        available: true,
        outbids: false,
        message: '',
        derivation: {
          baseMicrosPerGpuHour: 1_000_000,
          minMicrosPerGpuHour: 600_000,
          maxMicrosPerGpuHour: 3_000_000,
          queuePressure: 0.3,
          utilization: 0.8,
          pressureWeight: 0.5,
          utilizationWeight: 0.25,
          explanation: 'clamp($0.60, $3.00, $1.00 x (1 + 0.5 x 0.30 + 0.25 x 0.80)) = $1.35',
        },
      }),
    });
  });

  const QUOTE = ['quote', '--product', 'interruptible', '--gpus', '4', '--gpu-model', 'H100-80GB'];

  it('sends the lease request with the bid in micro-dollars and shows the price and its derivation', async () => {
    const { code, stdout } = await gantry(double, [
      ...QUOTE,
      '--nodes',
      '2',
      '--duration',
      '2h',
      '--bid',
      '1.20',
    ]);
    expect(code).toBe(0);
    expect(double.requests<QuoteRequest>('Quote')[0]?.lease).toEqual({
      product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
      gpuModel: 'H100-80GB',
      gpus: 4,
      nodes: 2,
      duration: { seconds: 7200, nanos: 0 },
      windowStartTime: undefined,
      bidMicrosPerGpuHour: 1_200_000,
      fabricDomain: '',
    });
    expect(stdout.split('\n')).toEqual([
      'Lease:      interruptible, 2x4xH100-80GB for 2h',
      'Price:      $1.20/GPU-h (your bid)',
      'Total:      $19.20 (8 GPUs x 2h)',
      'Available:  yes: a lease bought now starts at once',
      'Bounds:     base $1.00/GPU-h, min $0.60, max $3.00',
      'Demand:     queue pressure 0.3 (weight 0.5), utilization 0.8 (weight 0.25)',
      'How:        clamp($0.60, $3.00, $1.00 x (1 + 0.5 x 0.30 + 0.25 x 0.80)) = $1.35',
      '',
    ]);
  });

  it('says when a bid is available by outbidding interruptible leases', async () => {
    await double.close();
    double = await startMarketDouble({
      now: NOW,
      quote: () => ({
        priceMicrosPerGpuHour: 2_010_000,
        totalMicros: 8_040_000,
        available: true,
        outbids: true,
        message: 'for sale to this bid: 4 GPUs of H100-80GB on one node, by outbidding',
        derivation: undefined,
      }),
    });
    const { stdout } = await gantry(double, [...QUOTE, '--duration', '1h', '--bid', '2.01']);
    expect(stdout).toContain(
      'Available:  yes, by outbidding: a lease bought now starts once the leases it displaces have had their notice',
    );
  });

  it('prices the floor of an interruptible lease without a bid', async () => {
    const { stdout } = await gantry(double, [...QUOTE, '--duration', '6h']);
    expect(stdout).toContain('Price:      $0.95/GPU-h (the floor: bid at least this)');
  });

  it('prints the QuoteResponse as protobuf JSON', async () => {
    const { stdout } = await gantry(double, [...QUOTE, '--duration', '6h', '-o', 'json']);
    expect(JSON.parse(stdout)).toMatchObject({
      priceMicrosPerGpuHour: 950000,
      totalMicros: 19200000,
      available: true,
      derivation: { queuePressure: 0.3 },
    });
  });

  it.each([
    [['--duration', '6h', '--bid', '1.2345678'], '--bid: has more than 6 decimals'],
    [['--duration', '6h', '--bid', 'cheap'], '--bid: must be an amount in dollars'],
    [['--duration', '6h', '--window-start', '2026-12-06T10:00Z'], '--window-start: only for'],
    [['--duration', 'soon'], "--duration: must be a duration like 1h30m, 45m or 90s (got 'soon')"],
  ])('refuses %j before connecting (exit 2)', async (extra, message) => {
    const { code, stderr } = await gantry(double, [...QUOTE, ...extra]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toContain(`gantry: error: ${message}`);
    expect(double.calls).toEqual([]);
  });

  it("prints the server's refusals with their exit codes", async () => {
    double.failNext(
      'Quote',
      ValidationError.field('lease.gpus', 'must be at most 8 (a node has 8)'),
    );
    const invalid = await gantry(double, [...QUOTE, '--duration', '1h']);
    expect(invalid).toMatchObject({
      code: ExitCode.Usage,
      stderr: 'gantry: error: lease.gpus: must be at most 8 (a node has 8)\n',
    });
    double.failNext('Quote', new FailedPreconditionError('Quote is not available yet'));
    const notYet = await gantry(double, [...QUOTE, '--duration', '1h']);
    expect(notYet).toMatchObject({
      code: ExitCode.Conflict,
      stderr: 'gantry: error: Quote is not available yet\n',
    });
  });
});
