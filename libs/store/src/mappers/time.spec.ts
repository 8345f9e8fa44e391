import { toDate, toDateOrNull, toMs, toMsOrNull } from './time';

describe('time mapping', () => {
  it('round-trips epoch milliseconds through Date', () => {
    const ms = 1_764_400_000_123;
    expect(toMs(toDate(ms))).toBe(ms);
    expect(toDate(ms).toISOString()).toBe('2025-11-29T07:06:40.123Z');
  });

  it('reads ISO strings with an offset and passes numbers through', () => {
    expect(toMs('2025-11-29T08:06:40.123+01:00')).toBe(1_764_400_000_123);
    expect(toMs(42)).toBe(42);
  });

  it('keeps null as null', () => {
    expect(toMsOrNull(null)).toBeNull();
    expect(toDateOrNull(null)).toBeNull();
    expect(toDateOrNull(5)?.getTime()).toBe(5);
  });

  it('rejects what is not a time', () => {
    expect(() => toMs('yesterday')).toThrow('not a timestamp: yesterday');
    expect(() => toDate(Number.NaN)).toThrow('not a time in milliseconds');
  });
});
