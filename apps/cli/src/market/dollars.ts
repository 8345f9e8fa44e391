/**
 * Money on the command line (ADR 10): dollars in and out, integers of micro-dollars in between.
 * `--bid 1.20` becomes exactly 1,200,000 micro-dollars: the text is split at its point and never
 * goes through floating point. Amounts are shown exactly too: two decimals, and more only when
 * an amount has fractions of a cent (`$0.0125`), so a statement's lines add up to its balance.
 */
import { MAX_MICROS, MICROS_PER_DOLLAR, type Micros } from '@gantry/domain';
import { UsageError } from '../errors/cli-errors';

const DECIMALS = 6;
const AMOUNT = /^\$?(\d*)(?:\.(\d*))?$/;

/**
 * `1.20`, `$1.20`, `100`, `.5` -> micro-dollars. Refuses negatives, non-numbers, exponents,
 * more than 6 decimals and more than $1 billion, naming the flag; 0 only with `allowZero`.
 */
export function parseDollars(
  text: string,
  flag: string,
  options: { readonly allowZero?: boolean } = {},
): Micros {
  const value = text.trim();
  const fail = (why: string): never => {
    throw new UsageError(`${flag}: ${why} (got '${text}')`);
  };
  if (value.startsWith('-') || value.startsWith('$-')) fail('must not be negative');
  const match = AMOUNT.exec(value);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === ''))
    fail('must be an amount in dollars like 1.20 or 100');
  if (fraction.length > DECIMALS)
    fail(`has more than ${DECIMALS} decimals (the smallest amount is $0.000001)`);
  const dollars = whole.replace(/^0+/, '');
  if (dollars.length > 10) fail(`must be at most ${formatMoney(MAX_MICROS)}`);
  const micros =
    Number(dollars || '0') * MICROS_PER_DOLLAR + Number(fraction.padEnd(DECIMALS, '0'));
  if (micros > MAX_MICROS) fail(`must be at most ${formatMoney(MAX_MICROS)}`);
  if (micros === 0 && !options.allowZero) fail('must be more than 0');
  return micros;
}

/** `$1,234.50`, `-$0.0125`, `$0.00`: exact, thousands separated, at least two decimals. */
export function formatMoney(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(micros));
  const whole = Math.floor(abs / MICROS_PER_DOLLAR).toLocaleString('en-US');
  const fraction = String(abs % MICROS_PER_DOLLAR)
    .padStart(DECIMALS, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0');
  return `${sign}$${whole}.${fraction}`;
}

/** A price per GPU-hour: `$1.20/GPU-h`. */
export function formatPrice(microsPerGpuHour: Micros): string {
  return `${formatMoney(microsPerGpuHour)}/GPU-h`;
}

/** `+$10.00` / `-$0.40`: a ledger movement, signed so that money in and out read apart. */
export function formatSignedMoney(micros: Micros): string {
  return micros > 0 ? `+${formatMoney(micros)}` : formatMoney(micros);
}
