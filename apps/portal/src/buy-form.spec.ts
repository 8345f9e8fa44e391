import { leaseRequest } from './buy-form';

const form = {
  product: 'LEASE_PRODUCT_ON_DEMAND',
  gpuModel: ' H100-80GB ',
  gpus: '2',
  nodes: '1',
  hours: '1.5',
  bid: '',
  windowStart: '',
};

describe('the buy form', () => {
  it('asks for an on-demand lease of whole seconds, with no bid and no window', () => {
    expect(leaseRequest(form)).toEqual({
      product: 'LEASE_PRODUCT_ON_DEMAND',
      gpuModel: 'H100-80GB',
      gpus: 2,
      nodes: 1,
      duration: '5400s',
    });
  });

  it('sends an interruptible bid in micro-dollars, and says when the bid is not an amount', () => {
    const interruptible = { ...form, product: 'LEASE_PRODUCT_INTERRUPTIBLE' };
    expect(leaseRequest({ ...interruptible, bid: '$1.25' })).toMatchObject({
      bidMicrosPerGpuHour: '1250000',
    });
    expect(leaseRequest({ ...interruptible, bid: 'cheap' })).toBe(
      'Bid: type dollars per GPU-hour, e.g. 1.50 (at most 6 decimals)',
    );
  });

  it('sends a reserved window start as an RFC 3339 time', () => {
    const reserved = { ...form, product: 'LEASE_PRODUCT_RESERVED' };
    const start = new Date(2026, 11, 6, 9, 0);
    expect(leaseRequest({ ...reserved, windowStart: '2026-12-06T09:00' })).toMatchObject({
      windowStartTime: start.toISOString(),
    });
    expect(leaseRequest(reserved)).toBe('Window start: pick when the reserved window begins');
  });
});
