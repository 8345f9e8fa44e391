import { costOf, creditOwed } from '@gantry/domain';
import type { JobRecord, JobRun } from '../engine/types';
import { leaseRecordOf, meterSimLease } from './lease-metering';
import type { SimLease } from './renters';

const lease: SimLease = {
  id: 'lease-000007',
  renter: 'renter-03',
  gpuModel: 'H100-80GB',
  gpus: 4,
  durationSeconds: 7200,
  bidPerGpuHour: 1_200_000, // $1.20
  floorPerGpuHour: 1_000_000,
  noticeSeconds: 120,
  boughtAt: 50,
};

function recordOf(run: Omit<JobRun, 'allocations'>): JobRecord {
  return {
    id: lease.id,
    tenant: lease.renter,
    queue: 'market-interruptible',
    priorityClass: 'rental-interruptible',
    submitAt: lease.boughtAt,
    firstStartAt: run.startAt,
    endAt: run.endAt,
    duration: lease.durationSeconds,
    gpus: lease.gpus,
    preemptions: run.preempted ? 1 : 0,
    lostGpuSeconds: 0,
    waitSeconds: run.startAt - lease.boughtAt,
    runs: [{ ...run, allocations: [{ nodeId: 'node-0001', gpuIndices: [0, 1, 2, 3] }] }],
  };
}

describe('lease metering', () => {
  it('a reclaim with the full notice: no credit; charged for every second delivered', () => {
    const outcome = meterSimLease(
      lease,
      recordOf({ startAt: 60, endAt: 3720, preempted: true, stopOrderedAt: 3600 }),
    );
    expect(outcome).toMatchObject({
      startedAt: 60,
      endedAt: 3720,
      endReason: 'reclaimed',
      deliveredGpuSeconds: 3660 * 4,
      noticeAt: 3600,
      givenNoticeSeconds: 120,
      fullNotice: true,
      creditedMicros: 0,
    });
    // 61 whole minutes, then nothing left: 3,660 s x 4 GPUs at $1.20/h = $4.88.
    expect(outcome.chargedMicros).toBe(costOf(3660 * 4, 1_200_000));
    expect(outcome.chargedMicros).toBe(4_880_000);
  });

  it('a reclaim cut short: credited exactly the shortfall, with the domain credit rule', () => {
    const outcome = meterSimLease(
      lease,
      recordOf({ startAt: 60, endAt: 3720, preempted: true, stopOrderedAt: 3650 }),
    );
    expect(outcome).toMatchObject({ givenNoticeSeconds: 70, fullNotice: false });
    // (120 - 70) s x 4 GPUs x $1.20/h = $0.0666... -> 66,667 micro-dollars.
    expect(outcome.creditedMicros).toBe(66_667);
    const ended = {
      ...leaseRecordOf(lease, 0),
      state: 'ended' as const,
      startedAt: 60_000,
      endedAt: 3_720_000,
    };
    expect(outcome.creditedMicros).toBe(creditOwed(ended, 3_720_000, 70, 0).amount);
  });

  it('charges whole minutes then the remaining seconds, each rounded once (meterLease)', () => {
    // 90 s x 4 GPUs: a minute (240 GPU-s -> 80,000) and 30 s (120 GPU-s -> 40,000).
    const outcome = meterSimLease(
      lease,
      recordOf({ startAt: 100, endAt: 190, preempted: false, stopOrderedAt: null }),
    );
    expect(outcome).toMatchObject({
      endReason: 'expired',
      chargedMicros: 120_000,
      fullNotice: null,
    });
    const odd = { ...lease, bidPerGpuHour: 1_000_001 };
    const rounded = meterSimLease(
      odd,
      recordOf({ startAt: 0, endAt: 61, preempted: false, stopOrderedAt: null }),
    );
    expect(rounded.chargedMicros).toBe(costOf(240, 1_000_001) + costOf(4, 1_000_001));
  });

  it('a lease told to stop that reached its own end first expired: not a reclaim, no credit', () => {
    const outcome = meterSimLease(
      lease,
      recordOf({ startAt: 60, endAt: 7260, preempted: false, stopOrderedAt: 7200 }),
    );
    expect(outcome).toMatchObject({
      endReason: 'expired',
      noticeAt: 7200,
      givenNoticeSeconds: null,
      fullNotice: null,
      creditedMicros: 0,
    });
  });

  it('a lease whose job never ended delivered nothing', () => {
    expect(meterSimLease(lease, undefined)).toMatchObject({
      startedAt: null,
      endReason: null,
      deliveredGpuSeconds: 0,
      chargedMicros: 0,
    });
  });
});
