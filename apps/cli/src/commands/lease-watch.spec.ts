import { type Lease, type LeaseEvent, LeaseState } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';
import { startMarketDouble, type MarketDouble } from '../testing/market-double';
import { aLease, anEvent, gantry, LEASE_1, NOW } from '../testing/market-fixtures';
import { doubleLeaseId } from '../testing/market-state';

const NOTICE_END = new Date(NOW.getTime() + 125_000);

/** An interruptible lease's life: started, charged, reclaimed with 2 minutes' notice, credited. */
const reclaimed: LeaseEvent[] = [
  anEvent(1, 'created', 0),
  anEvent(2, 'started', 1, { message: 'on gpu-1' }),
  anEvent(3, 'charged', 60, { amountMicros: 160_000 }),
  anEvent(4, 'notice', 5, { noticeEndTime: NOTICE_END, message: 'internal work needs the GPUs' }),
  anEvent(5, 'reclaimed', 125),
  anEvent(6, 'charged', 125, { amountMicros: 80_000 }),
  anEvent(7, 'credited', 125, { amountMicros: 12_500, message: 'notice cut short by 30s' }),
  anEvent(8, 'ended', 126),
];

const endedBy = (reason: string) => [
  anEvent(1, 'started', 0),
  anEvent(2, reason, 60),
  anEvent(3, 'ended', 61),
];

let double: MarketDouble;
afterEach(() => double?.close());

async function watching(
  events: Record<string, LeaseEvent[]>,
  more: { dropWatchAfter?: number; leases?: Lease[] } = {},
) {
  double = await startMarketDouble({
    now: NOW,
    leases: more.leases ?? Object.keys(events).map((id) => aLease({ id })),
    events,
    dropWatchAfter: more.dropWatchAfter,
  });
}

describe('gantry lease watch', () => {
  it('prints one line per event and exits 13 when the lease was reclaimed', async () => {
    await watching({ [LEASE_1]: reclaimed });
    const { code, stdout } = await gantry(double, ['lease', 'watch', LEASE_1]);
    expect(stdout.split('\n')).toEqual([
      '12:00:00 created',
      '12:00:01 started   on gpu-1',
      '12:01:00 charged   $0.16',
      '12:00:05 notice    GPUs taken back at 2026-12-05T12:02:05Z (in 2m): internal work needs the GPUs',
      '12:02:05 reclaimed',
      '12:02:05 charged   $0.08',
      '12:02:05 credited  $0.0125: notice cut short by 30s',
      '12:02:06 ended',
      '',
    ]);
    expect(code).toBe(ExitCode.LeaseReclaimed);
    expect(double.requests('WatchLease')).toEqual([{ leaseId: LEASE_1, fromSequence: 0 }]);
  });

  it.each([
    ['released', ExitCode.Ok],
    ['expired', ExitCode.Ok],
    ['unfunded', ExitCode.LeaseFailed],
    ['failed', ExitCode.LeaseFailed],
  ])('exits by how the lease ended (%s -> %d)', async (reason, code) => {
    await watching({ [LEASE_1]: endedBy(reason) });
    await expect(gantry(double, ['lease', 'watch', LEASE_1])).resolves.toMatchObject({ code });
  });

  it('knows how a lease watched from a later event ended, from the lease itself', async () => {
    await watching(
      { [LEASE_1]: endedBy('unfunded') },
      { leases: [aLease({ state: LeaseState.LEASE_STATE_ENDED, endReason: 'unfunded' })] },
    );
    const { code, stdout } = await gantry(double, [
      'lease',
      'watch',
      LEASE_1,
      '--from-sequence',
      '3',
    ]);
    expect(stdout).toBe('12:01:01 ended\n');
    expect(code).toBe(ExitCode.LeaseFailed);
    expect(double.requests('WatchLease')).toEqual([{ leaseId: LEASE_1, fromSequence: 3 }]);
  });

  it('asks for the lease again when it ended without an event saying how', async () => {
    const answers = [
      aLease(),
      aLease({ state: LeaseState.LEASE_STATE_ENDED, endReason: 'failed' }),
    ];
    const { env } = fakeEnvironment({
      getLease: async () => answers.shift()!,
      async *watchLease() {
        yield anEvent(1, 'started', 0);
        yield anEvent(2, 'ended', 30, { message: 'node lost' });
      },
    });
    await expect(runCli(['lease', 'watch', LEASE_1], env)).resolves.toBe(ExitCode.LeaseFailed);
    expect(answers).toEqual([]);
  });

  it('resumes after a dropped stream from the next event, printing each event once', async () => {
    await watching({ [LEASE_1]: reclaimed }, { dropWatchAfter: 3 });
    const { code, stdout, stderr } = await gantry(double, ['lease', 'watch', LEASE_1]);
    expect(code).toBe(ExitCode.LeaseReclaimed);
    expect(stdout.trim().split('\n')).toHaveLength(8);
    expect(double.requests('WatchLease')).toEqual([
      { leaseId: LEASE_1, fromSequence: 0 },
      { leaseId: LEASE_1, fromSequence: 4 },
    ]);
    expect(stderr).toMatch(
      /^gantry: lost the stream from 127\.0\.0\.1:\d+ \(connection reset\); resuming from event 4 in 0\.5s\n$/,
    );
  });

  it('prints each event as protobuf JSON with -o json', async () => {
    await watching({ [LEASE_1]: reclaimed });
    const { stdout } = await gantry(double, ['lease', 'watch', LEASE_1, '-o', 'json']);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(8);
    expect(lines[3]).toEqual({
      sequence: 4,
      time: '2026-12-05T12:00:05.000Z',
      type: 'notice',
      message: 'internal work needs the GPUs',
      noticeEndTime: '2026-12-05T12:02:05.000Z',
    });
  });

  it('is exit 3 for an unknown lease, and refuses a bad --from-sequence', async () => {
    await watching({});
    const unknown = await gantry(double, ['lease', 'watch', doubleLeaseId(9)]);
    expect(unknown).toMatchObject({ code: ExitCode.NotFound });
    const bad = await gantry(double, ['lease', 'watch', LEASE_1, '--from-sequence', '-1']);
    expect(bad.stderr).toBe(
      "gantry: error: --from-sequence: must be a whole number, 0 or more (got '-1')\n",
    );
  });
});

describe('gantry lease create --watch', () => {
  it('buys, then follows the new lease to its end', async () => {
    await watching({ [LEASE_1]: endedBy('expired') }, { leases: [] });
    const { code, stdout } = await gantry(double, [
      'lease',
      'create',
      '--product',
      'on-demand',
      '--gpus',
      '1',
      '--gpu-model',
      'L4',
      '--duration',
      '1m',
      '--watch',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(`lease ${LEASE_1} created`);
    expect(stdout).toMatch(/12:01:00 expired\n12:01:01 ended\n$/);
  });

  it('keeps stdout for the events with -o json (the lease line goes to stderr)', async () => {
    await watching({ [LEASE_1]: endedBy('released') }, { leases: [] });
    const { stdout, stderr } = await gantry(double, [
      'lease',
      'create',
      '--product',
      'on-demand',
      '--gpus',
      '1',
      '--gpu-model',
      'L4',
      '--duration',
      '1m',
      '--watch',
      '-o',
      'json',
    ]);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['started', 'released', 'ended']);
    expect(stderr).toContain(`lease ${LEASE_1} created`);
  });
});

describe('the live view of a lease in notice', () => {
  it('counts down to the reclaim each second while no event comes', async () => {
    let clock = NOW.getTime() + 5_000;
    let reachedSecond: (() => void) | undefined;
    const threeSecondsLater = new Promise<void>((resolve) => (reachedSecond = resolve));
    const { env, stdout } = fakeEnvironment(
      {
        getLease: async () => aLease(),
        async *watchLease() {
          yield anEvent(1, 'started', 0);
          yield anEvent(2, 'notice', 5, { noticeEndTime: NOTICE_END });
          await threeSecondsLater;
          yield anEvent(3, 'reclaimed', 125);
          yield anEvent(4, 'ended', 125);
        },
      },
      { tty: true },
    );
    const ticking = {
      ...env,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
        if (clock >= NOW.getTime() + 8_000) reachedSecond?.();
      },
    };
    const code = await runCli(['lease', 'watch', LEASE_1], ticking);
    expect(code).toBe(ExitCode.LeaseReclaimed);
    expect(stdout.text).toContain('! reclaim in 2m (at 2026-12-05T12:02:05Z): save your work');
    expect(stdout.text).toContain('! reclaim in 1m59s (at');
    expect(stdout.text).toContain('! reclaim in 1m57s (at');
    expect(stdout.text).toContain(
      `${LEASE_1}  ended (reclaimed)  interruptible, bid $1.20/GPU-h, 8xH100-80GB`,
    );
    expect(stdout.text).toContain('\x1b[');
  });
});
