import { UsageError } from '../errors/cli-errors';
import { formatMoney, formatPrice, formatSignedMoney, parseDollars } from './dollars';

describe('parseDollars', () => {
  it.each([
    ['1.20', 1_200_000],
    ['$1.20', 1_200_000],
    ['100', 100_000_000],
    ['.5', 500_000],
    ['7.', 7_000_000],
    ['0.000001', 1],
    ['0.1', 100_000],
    ['0.29', 290_000],
    ['1000000000', 1_000_000_000_000_000],
    ['00012.345678', 12_345_678],
  ])('reads %s as %d micro-dollars, exactly', (text, micros) => {
    expect(parseDollars(text, '--bid')).toBe(micros);
  });

  it.each([
    ['-1', "--bid: must not be negative (got '-1')"],
    ['$-1', "--bid: must not be negative (got '$-1')"],
    ['abc', "--bid: must be an amount in dollars like 1.20 or 100 (got 'abc')"],
    ['1e3', "--bid: must be an amount in dollars like 1.20 or 100 (got '1e3')"],
    ['1,20', "--bid: must be an amount in dollars like 1.20 or 100 (got '1,20')"],
    ['', "--bid: must be an amount in dollars like 1.20 or 100 (got '')"],
    ['.', "--bid: must be an amount in dollars like 1.20 or 100 (got '.')"],
    [
      '1.2345678',
      "--bid: has more than 6 decimals (the smallest amount is $0.000001) (got '1.2345678')",
    ],
    ['1000000000.01', "--bid: must be at most $1,000,000,000.00 (got '1000000000.01')"],
    ['99999999999', "--bid: must be at most $1,000,000,000.00 (got '99999999999')"],
    ['0', "--bid: must be more than 0 (got '0')"],
    ['0.000000', "--bid: must be more than 0 (got '0.000000')"],
  ])('refuses %j naming the flag', (text, message) => {
    expect(() => parseDollars(text, '--bid')).toThrow(new UsageError(message));
  });

  it('takes 0 where it is allowed (a spend limit)', () => {
    expect(parseDollars('0', '--spend-limit', { allowZero: true })).toBe(0);
  });
});

describe('formatMoney', () => {
  it.each([
    [0, '$0.00'],
    [1_200_000, '$1.20'],
    [12_340_000, '$12.34'],
    [1_234_500_000, '$1,234.50'],
    [12_500, '$0.0125'],
    [1, '$0.000001'],
    [-400_000, '-$0.40'],
  ])('shows %d micro-dollars as %s', (micros, text) => {
    expect(formatMoney(micros)).toBe(text);
  });

  it('shows prices per GPU-hour and signed movements', () => {
    expect(formatPrice(1_200_000)).toBe('$1.20/GPU-h');
    expect(formatSignedMoney(10_000_000)).toBe('+$10.00');
    expect(formatSignedMoney(-400_000)).toBe('-$0.40');
    expect(formatSignedMoney(0)).toBe('$0.00');
  });
});
