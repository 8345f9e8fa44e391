import { PermissionDeniedError } from '@gantry/domain';
import { LeaseProduct, type GetMarketHistoryRequest, type TopUpRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { startMarketDouble, type MarketDouble } from '../testing/market-double';
import { aSample, gantry, NOW } from '../testing/market-fixtures';

let double: MarketDouble;
beforeEach(async () => {
  double = await startMarketDouble({ now: NOW });
});
afterEach(() => double.close());

const TOP_UP = ['renters', 'top-up', 'acme', '500', '--idempotency-key', 'inv-2026-0142'];

describe('gantry renters', () => {
  it('creates a renter with a spend limit in dollars and prints its key once', async () => {
    const { code, stdout } = await gantry(double, [
      'renters',
      'create',
      'acme',
      '--spend-limit',
      '100',
    ]);
    expect(code).toBe(0);
    expect(double.requests('CreateRenter')).toEqual([
      { name: 'acme', spendLimitMicros: 100_000_000 },
    ]);
    expect(stdout.split('\n')).toEqual([
      'renter acme created: balance $0.00, spend limit $100.00 ($100.00 available)',
      'API key (shown only now): gk_acme_secret',
      'Use it: gantry --api-key gk_acme_secret offers   (or export GANTRY_API_KEY=...)',
      'Top it up: gantry renters top-up acme AMOUNT --idempotency-key REFERENCE',
      '',
    ]);
    const json = await gantry(double, ['renters', 'create', 'beta', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({
      renter: { name: 'beta', createTime: '2026-12-05T12:00:00.000Z' },
      apiKey: 'gk_beta_secret',
    });
  });

  it('is a conflict (exit 6) for a name taken, and exit 4 for a key that is not an admin', async () => {
    await gantry(double, ['renters', 'create', 'acme']);
    await expect(gantry(double, ['renters', 'create', 'acme'])).resolves.toMatchObject({
      code: ExitCode.Conflict,
      stderr: 'gantry: error: tenant acme already exists\n',
    });
    double.failNext(
      'ListRenters',
      new PermissionDeniedError('renter keys cannot call AdminService'),
    );
    await expect(gantry(double, ['renters', 'list'])).resolves.toMatchObject({
      code: ExitCode.Auth,
    });
  });

  it('tops up once per key: a retried command credits nothing more', async () => {
    await gantry(double, ['renters', 'create', 'acme']);
    const first = await gantry(double, [...TOP_UP, '--note', 'card payment']);
    expect(first.stdout).toBe(
      'topped up acme by $500.00 (key inv-2026-0142, posting_01): balance $500.00, spend limit $0.00 ($500.00 available)\n',
    );
    const retry = await gantry(double, [...TOP_UP, '--note', 'card payment']);
    expect(retry.stdout).toContain('(key inv-2026-0142, posting_01): balance $500.00');
    expect(double.state.renter('acme').balanceMicros).toBe(500_000_000);
    expect(double.requests<TopUpRequest>('TopUp')).toEqual([
      {
        renter: 'acme',
        amountMicros: 500_000_000,
        idempotencyKey: 'inv-2026-0142',
        note: 'card payment',
      },
      {
        renter: 'acme',
        amountMicros: 500_000_000,
        idempotencyKey: 'inv-2026-0142',
        note: 'card payment',
      },
    ]);
    const other = await gantry(double, [...TOP_UP.map((a) => (a === '500' ? '50' : a))]);
    expect(other).toMatchObject({
      code: ExitCode.Conflict,
      stderr: 'gantry: error: idempotency key inv-2026-0142 was used for another top-up\n',
    });
  });

  it('needs an idempotency key for a top-up, and a valid amount (exit 2, nothing sent)', async () => {
    const noKey = await gantry(double, ['renters', 'top-up', 'acme', '500']);
    expect(noKey.code).toBe(ExitCode.Usage);
    expect(noKey.stderr).toBe(
      'gantry: error: --idempotency-key: required: name this top-up, e.g. by its invoice or ' +
        'payment reference (--idempotency-key inv-2026-0142), so that running the command again ' +
        'cannot credit twice\n',
    );
    const negative = await gantry(double, [
      'renters',
      'top-up',
      'acme',
      '-5',
      '--idempotency-key',
      'k',
    ]);
    expect(negative.code).toBe(ExitCode.Usage);
    const precise = await gantry(double, [
      'renters',
      'top-up',
      'acme',
      '1.0000001',
      '--idempotency-key',
      'k',
    ]);
    expect(precise.stderr).toContain('AMOUNT: has more than 6 decimals');
    expect(double.calls).toEqual([]);
  });

  it('lists renters with what each may still spend, and sets a spend limit', async () => {
    await gantry(double, ['renters', 'create', 'acme', '--spend-limit', '100']);
    await gantry(double, TOP_UP);
    const limit = await gantry(double, ['renters', 'spend-limit', 'acme', '250.5']);
    expect(double.requests('SetSpendLimit')).toEqual([
      { renter: 'acme', spendLimitMicros: 250_500_000 },
    ]);
    expect(limit.stdout).toBe(
      'renter acme: balance $500.00, spend limit $250.50 ($750.50 available)\n',
    );
    const { stdout } = await gantry(double, ['renters', 'list']);
    expect(stdout.split('\n')).toEqual([
      'NAME  BALANCE  SPEND-LIMIT  AVAILABLE  LEASES  CREATED',
      'acme  $500.00      $250.50    $750.50       0  2026-12-05T12:00Z',
      '',
    ]);
    const zero = await gantry(double, ['renters', 'spend-limit', 'acme', '0']);
    expect(zero.code).toBe(0);
    const unknown = await gantry(double, ['renters', 'spend-limit', 'nobody', '1']);
    expect(unknown.code).toBe(ExitCode.NotFound);
  });
});

describe('gantry prices', () => {
  const SET = ['prices', 'set', '--gpu-model', 'H100-80GB', '--product', 'on-demand'];

  it('sets bounds in dollars, exactly, and lists them with the price now', async () => {
    const { code, stdout } = await gantry(double, [
      ...SET,
      '--base',
      '2.50',
      '--min',
      '1.50',
      '--max',
      '6',
    ]);
    expect(code).toBe(0);
    expect(double.requests('PutPriceBounds')).toEqual([
      {
        bounds: {
          gpuModel: 'H100-80GB',
          product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
          baseMicrosPerGpuHour: 2_500_000,
          minMicrosPerGpuHour: 1_500_000,
          maxMicrosPerGpuHour: 6_000_000,
          currentMicrosPerGpuHour: 0,
        },
      },
    ]);
    expect(stdout).toBe(
      'prices of on-demand H100-80GB saved: base $2.50/GPU-h, min $1.50, max $6.00; now $2.50/GPU-h\n',
    );
    await gantry(double, [
      'prices',
      'set',
      '--gpu-model',
      'A100-80GB',
      '--product',
      'interruptible',
      '--base',
      '1',
      '--min',
      '0.6',
      '--max',
      '3',
    ]);
    const list = await gantry(double, ['prices', 'list']);
    expect(list.stdout.split('\n')).toEqual([
      'MODEL      PRODUCT                NOW         BASE          MIN          MAX',
      'A100-80GB  interruptible  $1.00/GPU-h  $1.00/GPU-h  $0.60/GPU-h  $3.00/GPU-h',
      'H100-80GB  on-demand      $2.50/GPU-h  $2.50/GPU-h  $1.50/GPU-h  $6.00/GPU-h',
      '',
    ]);
  });

  it.each([
    [
      ['--base', '2.50', '--min', '3', '--max', '6'],
      '--base: must be between --min and --max ($2.50 is outside $3.00-$6.00)',
    ],
    [
      ['--base', '2.50', '--min', '7', '--max', '6'],
      '--min: must be at most --max ($7.00 > $6.00)',
    ],
    [
      ['--base', '2.5.0', '--min', '1', '--max', '6'],
      "--base: must be an amount in dollars like 1.20 or 100 (got '2.5.0')",
    ],
    [['--base', '2.50', '--min', '1'], "required option '--max <dollars>' not specified"],
  ])('refuses %j naming the flag (exit 2)', async (flags, message) => {
    const { code, stderr } = await gantry(double, [...SET, ...flags]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toContain(message);
    expect(double.calls).toEqual([]);
  });
});

describe('gantry market history', () => {
  it('asks for the last 24 hours by default and draws utilization as sparklines', async () => {
    await double.close();
    double = await startMarketDouble({
      now: NOW,
      history: [
        aSample(0, 8, 0, 8),
        aSample(1, 8, 4, 4),
        aSample(2, 12, 4, 0),
        aSample(3, 16, 0, 0),
      ],
    });
    const { code, stdout } = await gantry(double, ['market', 'history']);
    expect(code).toBe(0);
    expect(double.requests<GetMarketHistoryRequest>('GetMarketHistory')).toEqual([
      { startTime: new Date('2026-12-04T12:00:00Z'), endTime: undefined },
    ]);
    expect(stdout.split('\n')).toEqual([
      '2026-12-05T12:00Z to 2026-12-05T12:03Z: 4 samples (one column: 1m), share of GPUs (▁ 0% to █ 100%)',
      'internal ▅▅▆█  now 100%, average 69%, peak 100%',
      'rented   ▁▃▃▁  now 0%, average 13%, peak 25%',
      'idle     ▅▃▁▁  now 0%, average 19%, peak 50%',
      'GPUs now 16: 16 internal, 0 rented, 0 idle; queue pressure 0.25; revenue $0.16',
      '',
    ]);
  });

  it('lists every sample with -o wide and prints JSON', async () => {
    await double.close();
    double = await startMarketDouble({ now: NOW, history: [aSample(0, 8, 4, 4)] });
    const wide = await gantry(double, ['market', 'history', '--since', '1h', '-o', 'wide']);
    expect(wide.stdout.split('\n')).toEqual([
      'TIME               TOTAL  INTERNAL  RENTED  IDLE  REVENUE  PRESSURE',
      '2026-12-05T12:00Z     16         8       4     4    $0.08      0.25',
      '',
    ]);
    const json = await gantry(double, ['market', 'history', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ samples: [{ gpusTotal: 16, gpusRented: 4 }] });
  });

  it('says when there are no samples', async () => {
    const { stdout } = await gantry(double, ['market', 'history']);
    expect(stdout).toBe('no market samples in this period\n');
  });
});
