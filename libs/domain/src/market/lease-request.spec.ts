import { ValidationError } from '../errors';
import {
  checkBid,
  leaseTotal,
  validateLeaseRequest,
  type LeaseRequestInput,
} from './lease-request';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

const onDemand: LeaseRequestInput = {
  product: 'on-demand',
  gpuModel: 'h100-80gb',
  gpus: 8,
  nodes: 0,
  durationSeconds: 3600,
  windowStartsAt: null,
  bidPerGpuHour: 0,
  fabricDomain: '',
};

function violations(run: () => unknown): Array<[string, string]> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => [v.field, v.message]);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('validateLeaseRequest', () => {
  it('applies the defaults: the catalog id, nodes 0 meaning 1, no domain', () => {
    expect(validateLeaseRequest(onDemand, NOW)).toEqual({
      product: 'on-demand',
      gpuModel: 'H100-80GB',
      gpus: 8,
      nodes: 1,
      durationSeconds: 3600,
      windowStartsAt: null,
      bidPerGpuHour: null,
      fabricDomain: null,
    });
  });

  it('keeps a reserved window and an interruptible bid', () => {
    const window = NOW + 60_000;
    expect(
      validateLeaseRequest({ ...onDemand, product: 'reserved', windowStartsAt: window }, NOW),
    ).toMatchObject({ product: 'reserved', windowStartsAt: window, bidPerGpuHour: null });
    expect(
      validateLeaseRequest(
        { ...onDemand, product: 'interruptible', bidPerGpuHour: 1_500_000, fabricDomain: 'f1' },
        NOW,
      ),
    ).toMatchObject({ bidPerGpuHour: 1_500_000, fabricDomain: 'f1', windowStartsAt: null });
  });

  it.each<[string, Partial<LeaseRequestInput>, string, string | RegExp]>([
    [
      'no product',
      { product: null },
      'lease.product',
      'must be LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED',
    ],
    ['no model', { gpuModel: '' }, 'lease.gpu_model', /^must be one of B200-192GB, .*T4-16GB/],
    ['a model not in the catalog', { gpuModel: 'TPU-v5' }, 'lease.gpu_model', /^must be one of/],
    ['no GPUs', { gpus: 0 }, 'lease.gpus', 'must be from 1 to 64 (GPUs on each node)'],
    ['65 GPUs', { gpus: 65 }, 'lease.gpus', 'must be from 1 to 64 (GPUs on each node)'],
    ['negative nodes', { nodes: -1 }, 'lease.nodes', 'must be from 1 to 64 (0 means 1)'],
    ['65 nodes', { nodes: 65 }, 'lease.nodes', 'must be from 1 to 64 (0 means 1)'],
    ['no duration', { durationSeconds: null }, 'lease.duration', 'is required'],
    [
      '59 seconds',
      { durationSeconds: 59 },
      'lease.duration',
      'must be whole seconds from 1 minute (60s) to 30 days (2592000s)',
    ],
    [
      '30 days and a second',
      { durationSeconds: 30 * 86_400 + 1 },
      'lease.duration',
      'must be whole seconds from 1 minute (60s) to 30 days (2592000s)',
    ],
    [
      'a fraction of a second',
      { durationSeconds: 60.5 },
      'lease.duration',
      'must be whole seconds from 1 minute (60s) to 30 days (2592000s)',
    ],
    [
      'a window on an on-demand lease',
      { windowStartsAt: NOW + 3_600_000 },
      'lease.window_start_time',
      'must be unset unless product is LEASE_PRODUCT_RESERVED',
    ],
    [
      'a reserved lease without a window',
      { product: 'reserved' },
      'lease.window_start_time',
      'is required for a reserved lease',
    ],
    [
      'a reserved window 59 seconds ahead',
      { product: 'reserved', windowStartsAt: NOW + 59_000 },
      'lease.window_start_time',
      'must be at least 1 minute from now (after 2026-12-05T12:01:00.000Z)',
    ],
    [
      'a reserved window 91 days ahead',
      { product: 'reserved', windowStartsAt: NOW + 91 * 86_400_000 },
      'lease.window_start_time',
      'must be at most 90 days from now (before 2027-03-05T12:00:00.000Z)',
    ],
    [
      'a bid on an on-demand lease',
      { bidPerGpuHour: 1 },
      'lease.bid_micros_per_gpu_hour',
      'must be unset unless product is LEASE_PRODUCT_INTERRUPTIBLE',
    ],
    [
      'an interruptible lease without a bid',
      { product: 'interruptible' },
      'lease.bid_micros_per_gpu_hour',
      'is required for an interruptible lease: micro-dollars per GPU-hour from 1 to 100000000 ($100.00)',
    ],
    [
      'a bid over $100',
      { product: 'interruptible', bidPerGpuHour: 100_000_001 },
      'lease.bid_micros_per_gpu_hour',
      /^is required for an interruptible lease/,
    ],
    [
      'a malformed fabric domain',
      { fabricDomain: 'rack 7' },
      'lease.fabric_domain',
      'must be a node label value (1-63 letters, digits, "-", "_" or ".")',
    ],
  ])('refuses %s, naming the field', (_what, patch, field, message) => {
    expect(violations(() => validateLeaseRequest({ ...onDemand, ...patch }, NOW))).toEqual([
      [field, typeof message === 'string' ? message : expect.stringMatching(message)],
    ]);
  });

  it('names every bad field at once, under the caller prefix', () => {
    const bad = { ...onDemand, product: null, gpuModel: 'x', gpus: 0, durationSeconds: null };
    expect(violations(() => validateLeaseRequest(bad, NOW, 'req')).map(([f]) => f)).toEqual([
      'req.product',
      'req.gpu_model',
      'req.gpus',
      'req.duration',
    ]);
  });
});

describe('checkBid', () => {
  const interruptible = validateLeaseRequest(
    { ...onDemand, product: 'interruptible', bidPerGpuHour: 1_000_000 },
    NOW,
  );

  it('accepts a bid at the floor', () => {
    expect(() => checkBid(interruptible, 1_000_000)).not.toThrow();
  });

  it('refuses a bid under the floor and says the floor', () => {
    expect(violations(() => checkBid(interruptible, 1_234_567))).toEqual([
      [
        'lease.bid_micros_per_gpu_hour',
        'must be at least the floor, 1234567 micro-dollars ($1.23) per GPU-hour for H100-80GB now',
      ],
    ]);
  });

  it('ignores products without a bid', () => {
    expect(() => checkBid(validateLeaseRequest(onDemand, NOW), 99_000_000)).not.toThrow();
  });
});

describe('leaseTotal', () => {
  it('is price x GPUs x nodes x hours', () => {
    expect(leaseTotal({ gpus: 8, nodes: 2, durationSeconds: 7200 }, 2_500_000)).toBe(80_000_000);
  });

  it('rounds half up to the micro-dollar', () => {
    // 1 GPU for 1 s at 1,800 micro-dollars an hour: 0.5 micro-dollars.
    expect(leaseTotal({ gpus: 1, nodes: 1, durationSeconds: 1 }, 1_800)).toBe(1);
    expect(leaseTotal({ gpus: 1, nodes: 1, durationSeconds: 1 }, 1_799)).toBe(0);
  });

  it('stays exact where floating point would not', () => {
    // 64 x 64 GPUs for 30 days at $99.999999: 1.06e10 GPU-seconds x 1e8 is past 2^53.
    const total = leaseTotal({ gpus: 64, nodes: 64, durationSeconds: 2_592_000 }, 99_999_999);
    expect(total).toBe(294_911_997_050_880);
  });
});
