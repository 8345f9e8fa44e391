import {
  dollars,
  duration,
  enumName,
  gpuHours,
  int,
  micros,
  productName,
  stateName,
  time,
} from './format';

describe('format', () => {
  it('reads int64 strings', () => {
    expect(int('2500000')).toBe(2_500_000);
    expect(int(7)).toBe(7);
    expect(int(undefined)).toBe(0);
    expect(int('')).toBe(0);
  });

  it.each([
    ['2500000', '$2.50'],
    [3_437_500, '$3.4375'],
    ['-1200000', '-$1.20'],
    ['1234567890000', '$1,234,567.89'],
    [1, '$0.000001'],
    [undefined, '$0.00'],
  ])('shows %p micro-dollars as %s', (value, shown) => {
    expect(dollars(value)).toBe(shown);
  });

  it.each([
    ['1.25', 1_250_000],
    ['$3', 3_000_000],
    ['.5', 500_000],
    ['0.000001', 1],
    ['1.2', 1_200_000],
    ['0.29', 290_000],
    ['1.0000001', undefined],
    ['.', undefined],
    ['$', undefined],
    ['', undefined],
    ['-1', undefined],
    ['1e3', undefined],
    ['two', undefined],
  ])('reads %p dollars as %p micro-dollars', (text, value) => {
    expect(micros(text)).toBe(value);
  });

  it.each([
    [0, '0s'],
    [9.7, '9s'],
    [309, '5m 09s'],
    [7509, '2h 05m 09s'],
    [-5, '0s'],
  ])('shows %p seconds as %s', (seconds, shown) => {
    expect(duration(seconds)).toBe(shown);
  });

  it('shows GPU-hours and enum names', () => {
    expect(gpuHours('7200')).toBe('2.00');
    expect(productName('LEASE_PRODUCT_ON_DEMAND')).toBe('on-demand');
    expect(stateName('LEASE_STATE_ACTIVE')).toBe('active');
    expect(enumName('OTHER', 'LEASE_STATE_')).toBe('OTHER');
    expect(enumName(undefined, 'LEASE_STATE_')).toBe('');
  });

  it('shows a time of today as a clock, another day with its date', () => {
    const now = new Date(2026, 11, 5, 15, 0, 0);
    expect(time(new Date(2026, 11, 5, 14, 5, 9).toISOString(), now)).toBe('14:05:09');
    expect(time(new Date(2026, 11, 4, 14, 5, 9).toISOString(), now)).toBe('2026-12-04 14:05');
    expect(time(undefined, now)).toBe('');
  });
});
