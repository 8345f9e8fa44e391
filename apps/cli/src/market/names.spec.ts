import { LeaseProduct, LeaseState } from '@gantry/proto';
import { leaseStateName, parseLeaseStates, parseProduct, productName } from './names';

describe('products', () => {
  it.each([
    ['on-demand', LeaseProduct.LEASE_PRODUCT_ON_DEMAND],
    ['ON_DEMAND', LeaseProduct.LEASE_PRODUCT_ON_DEMAND],
    ['interruptible', LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE],
    ['LEASE_PRODUCT_RESERVED', LeaseProduct.LEASE_PRODUCT_RESERVED],
  ])('reads %s', (text, product) => {
    expect(parseProduct(text)).toBe(product);
  });

  it('names them as the domain does and refuses others naming the flag', () => {
    expect(productName(LeaseProduct.LEASE_PRODUCT_ON_DEMAND)).toBe('on-demand');
    expect(() => parseProduct('spot')).toThrow(
      "--product: must be one of interruptible, on-demand, reserved (got 'spot')",
    );
    expect(() => parseProduct('unspecified')).toThrow('--product: must be one of');
  });
});

describe('lease states', () => {
  it('reads lists, live for every state but ended, and names states in lower case', () => {
    expect(parseLeaseStates(['ended,ACTIVE'])).toEqual([
      LeaseState.LEASE_STATE_ACTIVE,
      LeaseState.LEASE_STATE_ENDED,
    ]);
    expect(parseLeaseStates(['live'])).toEqual([1, 2, 3]);
    expect(leaseStateName(LeaseState.LEASE_STATE_NOTICE)).toBe('notice');
    expect(() => parseLeaseStates(['gone'])).toThrow(
      "--state: must be one of pending, active, notice, ended, live (got 'gone')",
    );
  });
});
