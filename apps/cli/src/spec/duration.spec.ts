import { UsageError } from '../errors/cli-errors';
import { formatAge, formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['1h30m', 5_400],
    ['45m', 2_700],
    ['90s', 90],
    ['1.5h', 5_400],
    ['2d', 172_800],
    ['1d2h3m4s', 93_784],
    [' 10m ', 600],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '90', '1x', 'h', '30m1h', '1h1h', '1h 30m', '-5m', '1h30'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });

  it('names the flag and the input in its message', () => {
    expect(() => parseDuration('soon', '--timeout')).toThrow(
      "--timeout: must be a duration like 1h30m, 45m or 90s (got 'soon')",
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m'],
    [200, '3m20s'],
    [7_500, '2h5m'],
    [7_200, '2h'],
    [273_600, '3d4h'],
    [-1, '-'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatAge', () => {
  const now = 1_000_000_000;
  it.each([
    [now - 5_000, '5s'],
    [now - 200_000, '3m'],
    [now - 7_300_000, '2h'],
    [now - 4 * 86_400_000, '4d'],
    [now + 3_000, '0s'],
  ])('since %d is %s', (from, text) => {
    expect(formatAge(from, now)).toBe(text);
  });

  it('is - when there is no time', () => {
    expect(formatAge(undefined, now)).toBe('-');
  });
});
