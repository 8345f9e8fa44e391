import { NotFoundError } from '@gantry/domain';
import {
  LeaseProduct,
  LeaseState,
  type CreateLeaseRequest,
  type ListLeasesRequest,
  type ReclaimLeaseRequest,
} from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { startMarketDouble, type MarketDouble } from '../testing/market-double';
import { aLease, gantry, LEASE_1, NOW } from '../testing/market-fixtures';
import { doubleLeaseId } from '../testing/market-state';

let double: MarketDouble;
afterEach(() => double.close());

const CREATE = [
  'lease',
  'create',
  '--product',
  'interruptible',
  '--gpus',
  '8',
  '--gpu-model',
  'H100-80GB',
  '--duration',
  '2h',
  '--bid',
  '1.20',
];

describe('gantry lease create', () => {
  beforeEach(async () => {
    double = await startMarketDouble({ now: NOW });
  });

  it('buys the lease, sending the key, and says how to use it', async () => {
    const { code, stdout } = await gantry(double, [...CREATE, '--idempotency-key', 'run-7']);
    expect(code).toBe(0);
    expect(double.requests<CreateLeaseRequest>('CreateLease')).toEqual([
      {
        idempotencyKey: 'run-7',
        lease: expect.objectContaining({
          product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
          gpus: 8,
          bidMicrosPerGpuHour: 1_200_000,
          duration: { seconds: 7200, nanos: 0 },
        }) as unknown,
      },
    ]);
    expect(stdout.split('\n')).toEqual([
      `lease ${LEASE_1} created: interruptible, bid $1.20/GPU-h, 8xH100-80GB; pending (waiting for GPUs)`,
      `run jobs in it:  gantry submit --lease ${LEASE_1} --gpus 8 -- python train.py`,
      `follow it:       gantry lease watch ${LEASE_1}`,
      '',
    ]);
  });

  it('returns the first lease when retried with the same key, and nothing new is bought', async () => {
    await gantry(double, [...CREATE, '--idempotency-key', 'run-7']);
    const retry = await gantry(double, [...CREATE, '--idempotency-key', 'run-7', '-o', 'json']);
    expect(JSON.parse(retry.stdout)).toMatchObject({ lease: { id: LEASE_1 }, created: false });
    expect(double.state.leases).toHaveLength(1);
    const human = await gantry(double, [...CREATE, '--idempotency-key', 'run-7']);
    expect(human.stdout).toContain('already bought with this idempotency key');
  });

  it('is a conflict (exit 6) when the key was used for another lease', async () => {
    await gantry(double, [...CREATE, '--idempotency-key', 'run-7']);
    const other = await gantry(double, [
      ...CREATE.map((a) => (a === '8' ? '4' : a)),
      '--idempotency-key',
      'run-7',
    ]);
    expect(other).toMatchObject({
      code: ExitCode.Conflict,
      stderr: 'gantry: error: idempotency key run-7 was used for another lease\n',
    });
  });

  it('prints only the id with --parsable, and {"lease", "created"} with -o json', async () => {
    const parsable = await gantry(double, [...CREATE, '--parsable']);
    expect(parsable.stdout).toBe(`${LEASE_1}\n`);
    const json = await gantry(double, [...CREATE, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      lease: { id: doubleLeaseId(2), state: 'LEASE_STATE_PENDING', priceMicrosPerGpuHour: 1200000 },
      created: true,
    });
  });

  it('needs a bid for an interruptible lease (exit 2, nothing sent)', async () => {
    const { code, stderr } = await gantry(double, CREATE.slice(0, -2));
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toContain('gantry: error: --bid: required for an interruptible lease');
    expect(double.calls).toEqual([]);
  });

  it('sends a reserved window start as a timestamp', async () => {
    const reserved = [
      'lease',
      'create',
      '--product',
      'reserved',
      '--gpus',
      '8',
      '--nodes',
      '2',
      '--gpu-model',
      'H100-80GB',
      '--duration',
      '8h',
      '--window-start',
      '2026-12-06T10:00Z',
    ];
    const { code, stdout } = await gantry(double, reserved);
    expect(code).toBe(0);
    expect(double.requests<CreateLeaseRequest>('CreateLease')[0]?.lease).toMatchObject({
      product: LeaseProduct.LEASE_PRODUCT_RESERVED,
      nodes: 2,
      windowStartTime: new Date('2026-12-06T10:00:00Z'),
    });
    expect(stdout).toContain('reserved at $2.50/GPU-h, 2x8xH100-80GB; pending');
    expect(stdout).toContain('window starts 2026-12-06T10:00Z (in 22h)');
  });
});

describe('gantry lease get and list', () => {
  const leases = [
    aLease(),
    aLease({
      id: doubleLeaseId(2),
      product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
      gpus: 4,
      nodes: 2,
      priceMicrosPerGpuHour: 2_500_000,
      state: LeaseState.LEASE_STATE_ENDED,
      endReason: 'released',
      endTime: new Date('2026-12-05T11:50:00Z'),
    }),
    aLease({
      id: doubleLeaseId(3),
      state: LeaseState.LEASE_STATE_NOTICE,
      noticeEndTime: new Date('2026-12-05T12:01:30Z'),
    }),
  ];
  beforeEach(async () => {
    double = await startMarketDouble({ now: NOW, leases });
  });

  it("shows one lease's fields", async () => {
    const { code, stdout } = await gantry(double, ['lease', 'get', LEASE_1]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `ID:       ${LEASE_1}`,
      'Renter:   acme',
      'Product:  interruptible, bid $1.20/GPU-h',
      'GPUs:     8xH100-80GB',
      'State:    active',
      'Created:  2026-12-05T11:30Z (30m ago)',
      'Started:  2026-12-05T11:31Z (29m ago)',
      'Expires:  2026-12-05T13:30Z (in 1h30m)',
      'Notice:   2m before a reclaim',
      'Nodes:    gpu-1',
      'Usage:    3.87 GPU-hours (13920 GPU-seconds)',
      'Charged:  $4.64',
      '',
    ]);
    expect(double.requests('GetLease')).toEqual([{ leaseId: LEASE_1 }]);
  });

  it('is exit 3 for a lease that is not there (or not yours)', async () => {
    const { code, stderr } = await gantry(double, ['lease', 'get', doubleLeaseId(9)]);
    expect(code).toBe(ExitCode.NotFound);
    expect(stderr).toBe(`gantry: error: lease ${doubleLeaseId(9)} not found\n`);
  });

  it('lists leases newest first with why each ended or when it is reclaimed', async () => {
    const { code, stdout } = await gantry(double, ['lease', 'list']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ID +PRODUCT +GPUS +STATE +REASON +PRICE +LEFT +CHARGED +AGE$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${doubleLeaseId(3)} +interruptible +8xH100-80GB +notice +reclaimed in 1m30s +\\$1.20/GPU-h +1m30s +\\$4.64 +30m$`,
      ),
    );
    expect(lines[2]).toMatch(
      / on-demand +2x4xH100-80GB +ended +released +\$2.50\/GPU-h +- +\$4.64 +30m$/,
    );
    expect(lines[3]).toMatch(/ interruptible +8xH100-80GB +active +- +\$1.20\/GPU-h +1h30m /);
  });

  it('sends --state and pages, and adds columns with -o wide', async () => {
    const { stdout, stderr } = await gantry(double, [
      'lease',
      'ls',
      '--state',
      'live',
      '--limit',
      '1',
      '-o',
      'wide',
    ]);
    expect(double.requests<ListLeasesRequest>('ListLeases')).toEqual([
      { states: [1, 2, 3], pageSize: 1, pageToken: '' },
    ]);
    expect(stdout.split('\n')[0]).toMatch(/AGE +GPU-H +CREDITED +DOMAIN +NODES +EXPIRES +MESSAGE$/);
    expect(stderr).toBe('(more leases: raise --limit or pass --all-pages)\n');
    const all = await gantry(double, [
      'lease',
      'list',
      '--limit',
      '1',
      '--all-pages',
      '-o',
      'json',
    ]);
    const json = JSON.parse(all.stdout) as { leases: { id: string }[] };
    expect(json.leases.map((l) => l.id)).toEqual([3, 2, 1].map(doubleLeaseId));
  });

  it('refuses an unknown --state (exit 2)', async () => {
    const { code, stderr } = await gantry(double, ['lease', 'list', '--state', 'running']);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toContain(
      "--state: must be one of pending, active, notice, ended, live (got 'running')",
    );
  });
});

describe('gantry lease extend, release and reclaim', () => {
  beforeEach(async () => {
    double = await startMarketDouble({
      now: NOW,
      leases: [
        aLease(),
        aLease({ id: doubleLeaseId(2), product: LeaseProduct.LEASE_PRODUCT_RESERVED }),
      ],
    });
  });

  it('extends by a duration and says when the lease now ends', async () => {
    const { code, stdout } = await gantry(double, ['lease', 'extend', LEASE_1, '--by', '1h']);
    expect(code).toBe(0);
    expect(double.requests('ExtendLease')).toEqual([
      { leaseId: LEASE_1, by: { seconds: 3600, nanos: 0 } },
    ]);
    expect(stdout).toBe(`lease ${LEASE_1} active: expires at 2026-12-05T14:30Z (in 2h30m)\n`);
  });

  it('needs --by, more than 0; a reserved lease cannot move (exit 6)', async () => {
    const missing = await gantry(double, ['lease', 'extend', LEASE_1]);
    expect(missing.code).toBe(ExitCode.Usage);
    expect(missing.stderr).toContain("required option '--by <duration>' not specified");
    const zero = await gantry(double, ['lease', 'extend', LEASE_1, '--by', '0s']);
    expect(zero.stderr).toBe("gantry: error: --by: must be more than 0 (got '0s')\n");
    const reserved = await gantry(double, ['lease', 'extend', doubleLeaseId(2), '--by', '1h']);
    expect(reserved.code).toBe(ExitCode.Conflict);
  });

  it('releases a lease and shows what it cost', async () => {
    const { code, stdout } = await gantry(double, ['lease', 'release', LEASE_1]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `lease ${LEASE_1} ended (released): 13920 GPU-seconds, charged $4.64, credited $0.00\n`,
    );
    const json = await gantry(double, ['lease', 'release', LEASE_1, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      state: 'LEASE_STATE_ENDED',
      endReason: 'released',
    });
  });

  it('reclaims with a notice and a reason (admins)', async () => {
    const { code, stdout } = await gantry(double, [
      'lease',
      'reclaim',
      LEASE_1,
      '--notice',
      '30s',
      '--reason',
      'node maintenance',
    ]);
    expect(code).toBe(0);
    expect(double.requests<ReclaimLeaseRequest>('ReclaimLease')).toEqual([
      { leaseId: LEASE_1, notice: { seconds: 30, nanos: 0 }, reason: 'node maintenance' },
    ]);
    expect(stdout).toBe(
      `lease ${LEASE_1} in notice: its GPUs are taken back at 2026-12-05T12:00:30Z (in 30s)\n`,
    );
  });

  it("prints the server's NOT_FOUND and a malformed --notice", async () => {
    double.failNext('ReclaimLease', new NotFoundError('lease', LEASE_1));
    const gone = await gantry(double, ['lease', 'reclaim', LEASE_1, '--notice', '0s']);
    expect(gone).toMatchObject({ code: ExitCode.NotFound });
    const bad = await gantry(double, ['lease', 'reclaim', LEASE_1, '--notice', 'soon']);
    expect(bad.stderr).toBe(
      "gantry: error: --notice: must be a duration like 1h30m, 45m or 90s (got 'soon')\n",
    );
  });
});
