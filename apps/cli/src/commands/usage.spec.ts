import { UnauthenticatedError } from '@gantry/domain';
import { type GetStatementRequest, type GetUsageRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { startMarketDouble, type MarketDouble } from '../testing/market-double';
import { gantry, LEASE_1, NOW } from '../testing/market-fixtures';

let double: MarketDouble;
afterEach(() => double.close());

const at = (iso: string) => new Date(iso);

beforeEach(async () => {
  double = await startMarketDouble({
    now: NOW,
    usage: {
      balanceMicros: 85_195_000,
      spendLimitMicros: 100_000_000,
      gpuSeconds: 45_000,
      chargedMicros: 15_005_000,
      creditedMicros: 200_000,
      toppedUpMicros: 100_000_000,
      activeLeases: 1,
    },
    statement: {
      openingBalanceMicros: 0,
      closingBalanceMicros: 99_852_500,
      chargedMicros: 160_000,
      creditedMicros: 12_500,
      lines: [
        {
          time: at('2026-12-01T09:00:00Z'),
          kind: 'topup',
          amountMicros: 100_000_000,
          balanceMicros: 100_000_000,
          leaseId: '',
          description: 'inv-2026-0142',
          postingId: 'posting_01',
        },
        {
          time: at('2026-12-05T12:01:00Z'),
          kind: 'charge',
          amountMicros: -160_000,
          balanceMicros: 99_840_000,
          leaseId: LEASE_1,
          description: `480 GPU-seconds of lease ${LEASE_1}`,
          postingId: 'posting_02',
        },
        {
          time: at('2026-12-05T12:02:05Z'),
          kind: 'credit',
          amountMicros: 12_500,
          balanceMicros: 99_852_500,
          leaseId: LEASE_1,
          description: 'notice cut short by 30s',
          postingId: 'posting_03',
        },
      ],
    },
  });
});

describe('gantry usage', () => {
  it('shows the balance, what is left to spend, and the period', async () => {
    const { code, stdout } = await gantry(double, ['usage', '--since', '2026-12-01']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'Balance:        $85.195 (spend limit $100.00: $185.195 to spend)',
      'Active leases:  1',
      'Period:         2026-12-01T00:00Z to now',
      'GPU-hours:      12.50 (45,000 GPU-seconds)',
      'Charged:        $15.005',
      'Credited:       $0.20',
      'Topped up:      $100.00',
      '',
    ]);
    expect(double.requests<GetUsageRequest>('GetUsage')).toEqual([
      { startTime: at('2026-12-01T00:00:00Z'), endTime: undefined },
    ]);
  });

  it('sends a relative period and prints micro-dollars with -o json', async () => {
    const { stdout } = await gantry(double, [
      'usage',
      '--since',
      '7d',
      '--until',
      '1d',
      '-o',
      'json',
    ]);
    expect(double.requests('GetUsage')).toEqual([
      { startTime: at('2026-11-28T12:00:00Z'), endTime: at('2026-12-04T12:00:00Z') },
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ balanceMicros: 85195000, activeLeases: 1 });
  });

  it('refuses a time without a zone and a period that ends before it starts (exit 2)', async () => {
    const local = await gantry(double, ['usage', '--since', '2026-12-01T10:00']);
    expect(local.code).toBe(ExitCode.Usage);
    expect(local.stderr).toContain('--since: must be a time with its zone like 2026-12-06T10:00Z');
    const backwards = await gantry(double, ['usage', '--since', '1d', '--until', '2d']);
    expect(backwards.stderr).toContain('--since: must be before --until');
    expect(double.calls).toEqual([]);
  });

  it('is exit 4 for a key the server refuses', async () => {
    double.failNext('GetUsage', new UnauthenticatedError('invalid API key'));
    await expect(gantry(double, ['usage'])).resolves.toMatchObject({
      code: ExitCode.Auth,
      stderr: 'gantry: error: invalid API key\n',
    });
  });
});

describe('gantry statement', () => {
  it('lists the entries between the opening and closing balances', async () => {
    const { code, stdout } = await gantry(double, [
      'statement',
      '--since',
      '2026-12-01',
      '--until',
      '2027-01-01',
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'Statement of 2026-12-01T00:00Z to 2027-01-01T00:00Z',
      'Opening balance  $0.00',
      '',
      'TIME                  KIND      AMOUNT   BALANCE  LEASE                             DESCRIPTION',
      '2026-12-01T09:00Z     topup   +$100.00   $100.00  -                                 inv-2026-0142',
      `2026-12-05T12:01Z     charge    -$0.16    $99.84  ${LEASE_1}  480 GPU-seconds of lease ${LEASE_1}`,
      `2026-12-05T12:02:05Z  credit  +$0.0125  $99.8525  ${LEASE_1}  notice cut short by 30s`,
      '',
      'Closing balance  $99.8525  (charged $0.16, credited $0.0125)',
      '',
    ]);
    expect(double.requests<GetStatementRequest>('GetStatement')).toEqual([
      { leaseId: '', startTime: at('2026-12-01T00:00:00Z'), endTime: at('2027-01-01T00:00:00Z') },
    ]);
  });

  it('sends --lease, adds POSTING with -o wide, and prints JSON', async () => {
    const wide = await gantry(double, ['statement', '--lease', LEASE_1, '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toBe(
      `Statement of lease ${LEASE_1}, the first entry to now`,
    );
    expect(wide.stdout).toMatch(/DESCRIPTION +POSTING\n/);
    expect(double.requests('GetStatement')).toEqual([
      { leaseId: LEASE_1, startTime: undefined, endTime: undefined },
    ]);
    const json = await gantry(double, ['statement', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      closingBalanceMicros: 99852500,
      lines: [{ kind: 'topup' }, { kind: 'charge', amountMicros: -160000 }, { kind: 'credit' }],
    });
  });
});
