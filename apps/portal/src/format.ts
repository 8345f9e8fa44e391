/**
 * How the portal shows what the API answers: money is integer micro-dollars (protobuf JSON
 * sends int64 as strings), times are RFC 3339, enums are names like LEASE_STATE_ACTIVE.
 */

/** An int64 of protobuf JSON (a string) or a number, as a number; 0 when absent. */
export function int(value: string | number | undefined | null): number {
  if (value === undefined || value === null || value === '') return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Micro-dollars as dollars: cents, and the sub-cent digits only when there are some. */
export function dollars(micros: string | number | undefined): string {
  const value = int(micros);
  const text = (Math.abs(value) / 1e6).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: Math.abs(value) % 10_000 === 0 ? 2 : 6,
  });
  return `${value < 0 ? '-' : ''}$${text}`;
}

/**
 * Dollars typed into a form as micro-dollars, read from the text (never through floating
 * point, as the CLI does): at most 6 decimals, no sign, no exponent; undefined otherwise.
 */
export function micros(dollarsText: string): number | undefined {
  const match = /^\$?(\d*)(?:\.(\d{0,6}))?$/.exec(dollarsText.trim());
  if (!match || (match[1] === '' && !match[2])) return undefined;
  return Number(match[1] || '0') * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** Seconds as "2h 05m 09s", "5m 09s" or "9s"; negative as 0s. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(rest)}s`;
  if (m > 0) return `${m}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** GPU-seconds as GPU-hours, two decimals. */
export function gpuHours(gpuSeconds: string | number | undefined): string {
  return (int(gpuSeconds) / 3600).toFixed(2);
}

/** LEASE_STATE_ACTIVE -> "active", LEASE_PRODUCT_ON_DEMAND -> "on-demand". */
export function enumName(value: string | undefined, prefix: string): string {
  if (!value) return '';
  return value.startsWith(prefix)
    ? value.slice(prefix.length).toLowerCase().replace(/_/g, '-')
    : value;
}

export const productName = (value: string | undefined) => enumName(value, 'LEASE_PRODUCT_');
export const stateName = (value: string | undefined) => enumName(value, 'LEASE_STATE_');

/** A time for a table: "14:05:09" today, "2026-12-05 14:05" otherwise; "" when unset. */
export function time(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.toDateString() === now.toDateString()) return `${clock}:${pad(at.getSeconds())}`;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock}`;
}

/** A key for CreateLease's idempotency (crypto.randomUUID needs a secure context; this not). */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `portal-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
