import { LeaseProduct } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { leaseRequestFromFlags, type LeaseFlags } from './lease-request';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const base: LeaseFlags = { product: 'on-demand', gpus: '8', gpuModel: 'H100-80GB', duration: '2h' };
const build = (flags: LeaseFlags, bidRequired = true) =>
  leaseRequestFromFlags({ ...base, ...flags }, NOW, { bidRequired });

describe('leaseRequestFromFlags', () => {
  it('builds an on-demand request with one node by default', () => {
    expect(build({})).toEqual({
      product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
      gpuModel: 'H100-80GB',
      gpus: 8,
      nodes: 1,
      duration: { seconds: 7200, nanos: 0 },
      windowStartTime: undefined,
      bidMicrosPerGpuHour: 0,
      fabricDomain: '',
    });
  });

  it('takes an interruptible bid in dollars and a reserved window start', () => {
    expect(build({ product: 'interruptible', bid: '1.20', nodes: '2' })).toMatchObject({
      product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
      bidMicrosPerGpuHour: 1_200_000,
      nodes: 2,
    });
    expect(
      build({ product: 'reserved', windowStart: '2026-12-06T10:00Z', fabricDomain: 'ib-1' }),
    ).toMatchObject({
      windowStartTime: new Date('2026-12-06T10:00:00Z'),
      fabricDomain: 'ib-1',
    });
  });

  it('lets a quote leave out the bid (it prices the floor)', () => {
    expect(build({ product: 'interruptible' }, false).bidMicrosPerGpuHour).toBe(0);
  });

  it.each<[LeaseFlags, string]>([
    [{ product: undefined }, '--product: required: interruptible, on-demand or reserved'],
    [{ gpus: undefined }, '--gpus: required: GPUs on each node'],
    [{ gpus: '0' }, "--gpus: must be a whole number, 1 or more (got '0')"],
    [{ gpus: '1.5' }, "--gpus: must be a whole number, 1 or more (got '1.5')"],
    [{ nodes: 'two' }, "--nodes: must be a whole number, 1 or more (got 'two')"],
    [{ gpuModel: undefined }, '--gpu-model: required: a GPU model such as H100-80GB'],
    [{ gpuModel: ' ' }, '--gpu-model: must not be empty'],
    [{ duration: undefined }, '--duration: required: how long, like 2h or 30m'],
    [{ duration: '0s' }, "--duration: must be more than 0 (got '0s')"],
    [{ duration: '2' }, "--duration: must be a duration like 1h30m, 45m or 90s (got '2')"],
    [{ bid: '1.20' }, '--bid: only for --product interruptible'],
    [{ product: 'interruptible' }, '--bid: required for an interruptible lease'],
    [{ product: 'interruptible', bid: '-1' }, "--bid: must not be negative (got '-1')"],
    [{ product: 'interruptible', bid: '1.2345678' }, '--bid: has more than 6 decimals'],
    [{ windowStart: '2026-12-06' }, '--window-start: only for --product reserved'],
    [{ product: 'reserved' }, '--window-start: required for a reserved lease'],
    [
      { product: 'reserved', windowStart: '2026-12-01T00:00Z' },
      "--window-start: must be in the future (got '2026-12-01T00:00Z')",
    ],
  ])('refuses %j naming the flag', (flags, message) => {
    let thrown: unknown;
    try {
      build(flags);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toContain(message);
  });
});
