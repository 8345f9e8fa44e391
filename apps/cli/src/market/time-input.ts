/**
 * Times on the command line: `--since`, `--until`, `--window-start`. An absolute time must say
 * its zone (`2026-12-06T10:00Z`, `2026-12-06T11:00+01:00`) or be a date (`2026-12-06`, UTC
 * midnight), so a script gives the same answer on every machine; a duration (`24h`, `7d`) is
 * relative to now: that long ago for a period's bounds, that long from now for a window start.
 */
import { UsageError } from '../errors/cli-errors';
import { parseDuration } from '../spec/duration';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const RELATIVE = /^\d+(?:\.\d+)?[a-z]/i;

/** Whether year, month and day name a real day (JavaScript turns Feb 30 into Mar 2). */
function realDay(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}

/**
 * Parses a time flag. `relative` says which way a duration counts from `nowMs`: `past` for
 * `--since 24h` (a day ago), `future` for `--window-start 2h` (in two hours).
 */
export function parseTime(
  text: string,
  flag: string,
  nowMs: number,
  relative: 'past' | 'future',
): Date {
  const value = text.trim();
  const fail = (): never => {
    const example = relative === 'past' ? '24h (that long ago)' : '2h (that long from now)';
    throw new UsageError(
      `${flag}: must be a time with its zone like 2026-12-06T10:00Z or ` +
        `2026-12-06T11:00+01:00, a date like 2026-12-06 (UTC), or a duration like ${example} ` +
        `(got '${text}')`,
    );
  };
  if (value.toLowerCase() === 'now') return new Date(nowMs);
  if (RELATIVE.test(value)) {
    const seconds = parseDuration(value, flag);
    return new Date(nowMs + (relative === 'past' ? -1 : 1) * seconds * 1000);
  }
  const date = DATE.exec(value);
  if (date) {
    if (!realDay(date[1]!, date[2]!, date[3]!)) fail();
    return new Date(`${value}T00:00:00Z`);
  }
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime || !realDay(dateTime[1]!, dateTime[2]!, dateTime[3]!)) return fail();
  if (Number(dateTime[4]) > 23 || Number(dateTime[5]) > 59 || Number(dateTime[6] ?? 0) > 59) fail();
  const ms = Date.parse(value.toUpperCase());
  if (Number.isNaN(ms)) fail();
  return new Date(ms);
}

/** `--since` and `--until` as a period; either may be left open. */
export function parsePeriod(
  flags: { readonly since?: string; readonly until?: string },
  nowMs: number,
): { startTime?: Date; endTime?: Date } {
  const startTime =
    flags.since === undefined ? undefined : parseTime(flags.since, '--since', nowMs, 'past');
  const endTime =
    flags.until === undefined ? undefined : parseTime(flags.until, '--until', nowMs, 'past');
  if (startTime && endTime && startTime.getTime() >= endTime.getTime())
    throw new UsageError(
      `--since: must be before --until (${formatTime(startTime)} is not before ${formatTime(endTime)})`,
    );
  return { startTime, endTime };
}

/** `2026-12-06T10:00Z`, or with seconds when it has them: how times are shown and read back. */
export function formatTime(date: Date | undefined): string {
  if (!date) return '-';
  const iso = date.toISOString();
  return iso.slice(17, 23) === '00.000' ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`;
}
