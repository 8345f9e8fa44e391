/**
 * The one place where database times meet epoch milliseconds. Both engines return timestamptz
 * as Date; a string (a driver configured otherwise) or a number is accepted too.
 */
export function toMs(value: Date | string | number): number {
  if (typeof value === 'number') return value;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${String(value)}`);
  return ms;
}

export function toMsOrNull(value: Date | string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : toMs(value);
}

export function toDate(ms: number): Date {
  if (!Number.isFinite(ms)) throw new Error(`not a time in milliseconds: ${ms}`);
  return new Date(ms);
}

export function toDateOrNull(ms: number | null | undefined): Date | null {
  return ms === null || ms === undefined ? null : toDate(ms);
}
