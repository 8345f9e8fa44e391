/**
 * Money is integers of micro-dollars (1,000,000 = $1) end to end (ADR 10): no floating point
 * touches a balance. Prices are per GPU-hour; charges are per delivered GPU-second, rounded half
 * up to the micro-dollar once per charge (never per second, so rounding cannot add up).
 */
import { ValidationError } from '../errors';

export type Micros = number;

export const MICROS_PER_DOLLAR = 1_000_000;

/** The largest amount any one posting may move: $1 billion, well inside a safe integer. */
export const MAX_MICROS = 1_000_000_000 * MICROS_PER_DOLLAR;

/** What `gpuSeconds` GPU-seconds cost at `pricePerGpuHour` micro-dollars, rounded half up. */
export function costOf(gpuSeconds: number, pricePerGpuHour: Micros): Micros {
  return Math.floor((gpuSeconds * pricePerGpuHour) / 3600 + 0.5);
}

/** `$12.34` for people (two decimals, exact for the cents part). */
export function formatDollars(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const cents = Math.round(Math.abs(micros) / 10_000);
  return `${sign}$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
}

/** Whether a value is a whole number of micro-dollars within what one posting may move. */
export function isMicros(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_MICROS;
}

/**
 * Checks an amount given at the boundary: ValidationError naming `field` unless it is a whole
 * number of micro-dollars (at most MAX_MICROS) and at least `min` (0: "0 or more"; 1: "more
 * than 0").
 */
export function checkMicros(field: string, value: number, min: 0 | 1): Micros {
  if (!isMicros(value)) {
    throw ValidationError.field(
      field,
      `must be a whole number of micro-dollars up to ${MAX_MICROS}`,
    );
  }
  if (value < min)
    throw ValidationError.field(field, min === 0 ? 'must be 0 or more' : 'must be more than 0');
  return value;
}
