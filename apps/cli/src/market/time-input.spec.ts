import { UsageError } from '../errors/cli-errors';
import { formatTime, parsePeriod, parseTime } from './time-input';

const NOW = Date.parse('2026-12-05T12:00:00Z');

describe('parseTime', () => {
  it.each([
    ['2026-12-06T10:00Z', '2026-12-06T10:00:00.000Z'],
    ['2026-12-06t10:00z', '2026-12-06T10:00:00.000Z'],
    ['2026-12-06T10:00:30Z', '2026-12-06T10:00:30.000Z'],
    ['2026-12-06T10:00:30.250Z', '2026-12-06T10:00:30.250Z'],
    ['2026-12-06T11:00+01:00', '2026-12-06T10:00:00.000Z'],
    ['2026-12-06', '2026-12-06T00:00:00.000Z'],
    ['now', '2026-12-05T12:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTime(text, '--since', NOW, 'past').toISOString()).toBe(iso);
  });

  it('counts a duration back for a bound of a period and forward for a window start', () => {
    expect(parseTime('24h', '--since', NOW, 'past').toISOString()).toBe('2026-12-04T12:00:00.000Z');
    expect(parseTime('1h30m', '--window-start', NOW, 'future').toISOString()).toBe(
      '2026-12-05T13:30:00.000Z',
    );
  });

  it.each([
    ['2026-12-06T10:00'],
    ['2026-02-30'],
    ['2026-12-06T24:00Z'],
    ['2026-12-06T10:61Z'],
    ['yesterday'],
    ['12/06/2026'],
    [''],
  ])('refuses %j (no zone, no such day, not a time) naming the flag', (text) => {
    expect(() => parseTime(text, '--window-start', NOW, 'future')).toThrow(
      new UsageError(
        '--window-start: must be a time with its zone like 2026-12-06T10:00Z or ' +
          '2026-12-06T11:00+01:00, a date like 2026-12-06 (UTC), or a duration like 2h ' +
          `(that long from now) (got '${text}')`,
      ),
    );
  });

  it('says what a malformed duration should look like', () => {
    expect(() => parseTime('2x', '--since', NOW, 'past')).toThrow(
      "--since: must be a duration like 1h30m, 45m or 90s (got '2x')",
    );
  });
});

describe('parsePeriod', () => {
  it('leaves open bounds unset and refuses a period that ends before it starts', () => {
    expect(parsePeriod({}, NOW)).toEqual({ startTime: undefined, endTime: undefined });
    expect(parsePeriod({ since: '7d' }, NOW).startTime?.toISOString()).toBe(
      '2026-11-28T12:00:00.000Z',
    );
    expect(() => parsePeriod({ since: '2026-12-05', until: '2026-12-01' }, NOW)).toThrow(
      '--since: must be before --until (2026-12-05T00:00Z is not before 2026-12-01T00:00Z)',
    );
  });
});

describe('formatTime', () => {
  it('shows minutes, and seconds only when there are some', () => {
    expect(formatTime(new Date('2026-12-06T10:00:00Z'))).toBe('2026-12-06T10:00Z');
    expect(formatTime(new Date('2026-12-06T10:00:05Z'))).toBe('2026-12-06T10:00:05Z');
    expect(formatTime(undefined)).toBe('-');
  });
});
