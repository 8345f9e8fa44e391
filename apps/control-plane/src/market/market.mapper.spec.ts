import { LeaseProduct } from '@gantry/proto';
import {
  boundsFromProto,
  leaseRequestFromProto,
  productFromProto,
  productToProto,
  toProtoOffer,
} from './market.mapper';

describe('market mapper', () => {
  it.each([
    [LeaseProduct.LEASE_PRODUCT_ON_DEMAND, 'on-demand'],
    [LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE, 'interruptible'],
    [LeaseProduct.LEASE_PRODUCT_RESERVED, 'reserved'],
  ] as const)('maps product %p to %p and back', (proto, domain) => {
    expect(productFromProto(proto)).toBe(domain);
    expect(productToProto(domain)).toBe(proto);
  });

  it.each([LeaseProduct.LEASE_PRODUCT_UNSPECIFIED, LeaseProduct.UNRECOGNIZED, 42, undefined])(
    'leaves product %p to the check (null)',
    (proto) => {
      expect(productFromProto(proto as LeaseProduct)).toBeNull();
    },
  );

  it('decodes a lease request: seconds with nanos, the window in epoch ms, unset as null', () => {
    const window = new Date(Date.UTC(2027, 0, 1));
    expect(
      leaseRequestFromProto({
        product: LeaseProduct.LEASE_PRODUCT_RESERVED,
        gpuModel: 'H100-80GB',
        gpus: 8,
        nodes: 2,
        duration: { seconds: 90, nanos: 500_000_000 },
        windowStartTime: window,
        bidMicrosPerGpuHour: 0,
        fabricDomain: 'f1',
      }),
    ).toEqual({
      product: 'reserved',
      gpuModel: 'H100-80GB',
      gpus: 8,
      nodes: 2,
      durationSeconds: 90.5,
      windowStartsAt: window.getTime(),
      bidPerGpuHour: 0,
      fabricDomain: 'f1',
    });
    expect(leaseRequestFromProto(undefined)).toEqual({
      product: null,
      gpuModel: '',
      gpus: 0,
      nodes: 0,
      durationSeconds: null,
      windowStartsAt: null,
      bidPerGpuHour: 0,
      fabricDomain: '',
    });
  });

  it('decodes bounds, ignoring the read-only current price', () => {
    expect(
      boundsFromProto({
        gpuModel: 'A100-80GB',
        product: LeaseProduct.LEASE_PRODUCT_ON_DEMAND,
        baseMicrosPerGpuHour: 2,
        minMicrosPerGpuHour: 1,
        maxMicrosPerGpuHour: 3,
        currentMicrosPerGpuHour: 99,
      }),
    ).toEqual({ gpuModel: 'A100-80GB', product: 'on-demand', base: 2, min: 1, max: 3 });
  });

  it('encodes an offer with its times as timestamps', () => {
    expect(
      toProtoOffer({
        product: 'interruptible',
        gpuModel: 'H100-80GB',
        fabricDomain: 'f1',
        gpus: 12,
        maxGpusPerNode: 8,
        availableFrom: 1_000,
        availableUntil: 2_000,
        pricePerGpuHour: 1_200_000,
      }),
    ).toEqual({
      product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
      gpuModel: 'H100-80GB',
      fabricDomain: 'f1',
      gpus: 12,
      maxGpusPerNode: 8,
      availableFrom: new Date(1_000),
      availableUntil: new Date(2_000),
      priceMicrosPerGpuHour: 1_200_000,
      outbid: false,
    });
    const line = { product: 'interruptible' as const, gpuModel: 'H100-80GB', fabricDomain: 'f1' };
    const outbid = { ...line, gpus: 4, maxGpusPerNode: 4, availableFrom: 0, availableUntil: 1 };
    expect(toProtoOffer({ ...outbid, pricePerGpuHour: 2_010_000, outbid: true })).toMatchObject({
      priceMicrosPerGpuHour: 2_010_000,
      outbid: true,
    });
  });
});
