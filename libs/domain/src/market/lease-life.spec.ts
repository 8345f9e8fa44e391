import type { LeaseRecord } from './lease';
import {
  creditOwed,
  endLease,
  extendLease,
  meterLease,
  noticeCause,
  noticeLease,
  startLease,
} from './lease-life';

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);

function aLease(overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  return {
    id: 'lease_1',
    tenantId: 'ten_r',
    product: 'interruptible',
    gpuModel: 'H100-80GB',
    gpus: 2,
    nodes: 1,
    fabricDomain: null,
    pricePerGpuHour: 1_800_000, // $1.80: 500 micro-dollars per GPU-second
    state: 'pending',
    endReason: null,
    message: '',
    createdAt: T0,
    startedAt: null,
    expiresAt: T0 + 3_600_000,
    endedAt: null,
    durationSeconds: 3600,
    noticeSeconds: 120,
    noticeEndsAt: null,
    windowStartsAt: null,
    jobId: 'job_1',
    meteredUntil: null,
    gpuSeconds: 0,
    chargedMicros: 0,
    creditedMicros: 0,
    idempotencyKey: null,
    ...overrides,
  };
}

describe('a lease’s life', () => {
  it('starts when its holder starts: the duration counts from then, metering too', () => {
    const change = startLease(aLease(), T0 + 90_000, 'node-a');
    expect(change.patch).toMatchObject({
      state: 'active',
      startedAt: T0 + 90_000,
      expiresAt: T0 + 90_000 + 3_600_000,
      meteredUntil: T0 + 90_000,
    });
    expect(change.events.map((e) => e.type)).toEqual(['started']);
  });

  it('keeps a reserved lease’s window', () => {
    const lease = aLease({ product: 'reserved', windowStartsAt: T0, expiresAt: T0 + 7_200_000 });
    expect(startLease(lease, T0 + 5_000, 'node-a').patch.expiresAt).toBe(T0 + 7_200_000);
  });

  it('gives notice from active only, with its end time', () => {
    const change = noticeLease(
      aLease({ state: 'active' }),
      T0,
      120,
      'internal work needs the GPUs',
    );
    expect(change.patch).toMatchObject({ state: 'notice', noticeEndsAt: T0 + 120_000 });
    expect(change.events).toEqual([
      {
        type: 'notice',
        message: 'reclaimed in 120 s: internal work needs the GPUs',
        noticeEndsAt: T0 + 120_000,
        amount: 0,
      },
    ]);
    expect(() => noticeLease(aLease(), T0, 120, 'x')).toThrow('is pending, not active');
  });

  it('remembers why a lease in its notice is reclaimed, for the message it ends with', () => {
    const why = 'preempted for job_b: a higher bid needs its GPUs (priority 300 over 150)';
    const notice = noticeLease(aLease({ state: 'active' }), T0, 120, why).patch;
    expect(noticeCause(aLease({ state: 'notice', message: notice.message! }))).toBe(why);
    expect(noticeCause(aLease({ state: 'active', message: notice.message! }))).toBe('');
  });

  it('ends once: the reason, then ended; ending an ended lease changes nothing', () => {
    const change = endLease(aLease({ state: 'notice' }), T0, 'reclaimed', 'the notice ran out');
    expect(change.patch).toMatchObject({ state: 'ended', endReason: 'reclaimed', endedAt: T0 });
    expect(change.events.map((e) => e.type)).toEqual(['reclaimed', 'ended']);
    expect(endLease(aLease({ state: 'ended' }), T0, 'released', '')).toEqual({
      patch: {},
      events: [],
    });
  });

  it('extends on-demand and interruptible leases only while they last', () => {
    expect(extendLease(aLease({ state: 'active' }), 1800).patch).toEqual({
      expiresAt: T0 + 5_400_000,
      durationSeconds: 5400,
    });
    expect(() => extendLease(aLease({ product: 'reserved' }), 60)).toThrow('its window is fixed');
    expect(() => extendLease(aLease({ state: 'notice' }), 60)).toThrow('cannot be extended');
  });

  it('meters whole minutes while a lease lasts, times its GPUs, at its price', () => {
    const lease = aLease({ state: 'active', startedAt: T0, meteredUntil: T0 });
    expect(meterLease(lease, T0 + 150_500)).toEqual({
      from: T0,
      to: T0 + 120_000,
      gpuSeconds: 240,
      amount: 120_000, // 240 GPU-s x 500 micro-dollars
    });
    expect(meterLease(lease, T0 + 59_999)).toBeNull();
    expect(meterLease(aLease(), T0 + 60_000)).toBeNull(); // never started
  });

  it('meters the whole seconds up to its end once a lease has ended, however late', () => {
    const ended = aLease({ state: 'ended', meteredUntil: T0, endedAt: T0 + 10_700 });
    const late = meterLease(ended, T0 + 3_600_000);
    expect(late).toEqual({ from: T0, to: T0 + 10_000, gpuSeconds: 20, amount: 10_000 });
    expect(meterLease(ended, T0 + 20_000)).toEqual(late); // the same span: the same key
  });

  it('credits an interruptible lease exactly the notice it was not given', () => {
    const lease = aLease({ state: 'notice' });
    expect(creditOwed(lease, T0, 120, 3600).amount).toBe(0);
    expect(creditOwed(lease, T0, 30, 3600)).toEqual({
      amount: 90_000, // 90 s x 2 GPUs x 500
      cause: 'notice-cut-short',
      description: 'reclaimed with 30 s of the 120 s notice promised',
    });
    expect(creditOwed(lease, T0, -5, 3600).amount).toBe(120_000);
  });

  it('credits an on-demand lease cut short by a fault the fault credit, at most what it had left', () => {
    const lease = aLease({ product: 'on-demand', state: 'active', expiresAt: T0 + 600_000 });
    expect(creditOwed(lease, T0, 0, 3600)).toMatchObject({ amount: 600_000, cause: 'fault' });
    expect(creditOwed(lease, T0, 0, 60).amount).toBe(60_000);
  });
});
