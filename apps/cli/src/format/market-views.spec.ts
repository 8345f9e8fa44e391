import { LeaseProduct, LeaseState } from '@gantry/proto';
import { aLease, anEvent, aSample, NOW } from '../testing/market-fixtures';
import { applyLeaseEvent, countdown, initialLeaseView } from '../watch/lease-view-state';
import { renderUsage } from './account-view';
import { describeChange, leaseReason } from './lease-view';
import { buckets, sparkline } from './market-history-view';
import { renderQuote } from './offer-view';

const now = NOW.getTime();

describe('sparklines', () => {
  it('cut samples into nearly equal runs, never more runs than samples', () => {
    expect(buckets([...'abcdefghij'], 4).map((run) => run.join(''))).toEqual([
      'ab',
      'cde',
      'fg',
      'hij',
    ]);
    expect(buckets([1, 2], 60)).toEqual([[1], [2]]);
  });

  it('draw a share of GPUs on one 0-100% scale, averaging each run', () => {
    const samples = [
      aSample(0, 0, 0, 8),
      aSample(1, 8, 0, 0),
      aSample(2, 4, 0, 4),
      aSample(3, 0, 0, 0),
    ];
    expect(sparkline(samples, 'gpusInternal', 4)).toBe('▁█▅▁');
    expect(sparkline(samples, 'gpusInternal', 2)).toBe('▅▃');
  });
});

describe('lease views', () => {
  it('say what a lease in notice or a pending lease is waiting for', () => {
    const notice = aLease({ state: LeaseState.LEASE_STATE_NOTICE, noticeEndTime: undefined });
    expect(leaseReason(notice, now)).toBe('reclaiming');
    const pending = aLease({ state: LeaseState.LEASE_STATE_PENDING, expireTime: undefined });
    expect(describeChange(pending, now)).toBe(
      `lease ${pending.id} pending: expires its duration after it starts`,
    );
  });

  it('fold events: an extension changes no state, credits add up, the lines stay few', () => {
    let view = initialLeaseView('lease_x');
    view = applyLeaseEvent(view, anEvent(1, 'started', 0), 2);
    view = applyLeaseEvent(view, anEvent(2, 'extended', 1, { message: 'by 1h' }), 2);
    view = applyLeaseEvent(view, anEvent(3, 'credited', 2, { amountMicros: 500 }), 2);
    view = applyLeaseEvent(view, anEvent(4, 'credited', 3, { amountMicros: 250 }), 2);
    expect(view).toMatchObject({ state: 'active', credited: 750, endReason: '' });
    expect(view.lastLines).toEqual(['12:00:02 credited  $0.0005', '12:00:03 credited  $0.00025']);
  });

  it('count down in whole seconds, rounding up, and stop at 0', () => {
    const view = {
      ...initialLeaseView('lease_x'),
      state: 'notice',
      noticeEnd: new Date(now + 61_500),
    };
    expect(countdown(view, now)).toBe('reclaim in 1m2s (at 2026-12-05T12:01:01Z): save your work');
    expect(countdown(view, now + 90_000)).toMatch(/^reclaim in 0s /);
    expect(countdown({ ...view, state: 'active' }, now)).toBe('');
  });
});

describe('account and quote views', () => {
  it('say a renter without a spend limit is prepaid', () => {
    const text = renderUsage(
      {
        balanceMicros: 5_000_000,
        spendLimitMicros: 0,
        gpuSeconds: 0,
        chargedMicros: 0,
        creditedMicros: 0,
        toppedUpMicros: 5_000_000,
        activeLeases: 0,
      },
      {},
    );
    expect(text.split('\n')[0]).toBe('Balance:        $5.00 (prepaid: no spend limit)');
    expect(text).toContain('Period:         the first entry to now');
  });

  it('say why a lease bought now would not start at once', () => {
    const text = renderQuote(
      {
        product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
        gpuModel: 'H100-80GB',
        gpus: 8,
        nodes: 1,
        duration: { seconds: 1800, nanos: 0 },
        bidMicrosPerGpuHour: 0,
        fabricDomain: '',
      },
      {
        priceMicrosPerGpuHour: 2_500_000,
        totalMicros: 10_000_000,
        available: false,
        message: 'only 4 GPUs of H100-80GB free on one node',
        outbids: false,
      },
    );
    expect(text.split('\n')).toEqual([
      'Lease:      on-demand, 8xH100-80GB for 30m',
      'Price:      $2.50/GPU-h',
      'Total:      $10.00 (8 GPUs x 30m)',
      'Available:  not now: only 4 GPUs of H100-80GB free on one node',
    ]);
  });
});
