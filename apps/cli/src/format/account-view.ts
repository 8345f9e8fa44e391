/**
 * A renter's money: `gantry usage` (balance, spend limit, a period's GPU-hours and charges) and
 * `gantry statement` (the ledger entries of a period or a lease, with opening and closing
 * balances). Amounts are exact (formatMoney), so the lines add up to the closing balance.
 */
import {
  type GetStatementResponse,
  type GetUsageResponse,
  type StatementLine,
} from '@gantry/proto';
import { formatMoney, formatSignedMoney } from '../market/dollars';
import { formatTime } from '../market/time-input';
import { renderFields, renderTable, type Column } from './table';

/** `2026-12-01T00:00Z to now`: the period asked for, open bounds said in words. */
export function describePeriod(period: { startTime?: Date; endTime?: Date }): string {
  const start = period.startTime ? formatTime(period.startTime) : 'the first entry';
  const end = period.endTime ? formatTime(period.endTime) : 'now';
  return `${start} to ${end}`;
}

export function renderUsage(
  usage: GetUsageResponse,
  period: { startTime?: Date; endTime?: Date },
): string {
  const available = usage.balanceMicros + usage.spendLimitMicros;
  const limit = usage.spendLimitMicros
    ? ` (spend limit ${formatMoney(usage.spendLimitMicros)}: ${formatMoney(available)} to spend)`
    : ' (prepaid: no spend limit)';
  return renderFields([
    ['Balance', `${formatMoney(usage.balanceMicros)}${limit}`],
    ['Active leases', String(usage.activeLeases)],
    ['Period', describePeriod(period)],
    [
      'GPU-hours',
      `${(usage.gpuSeconds / 3600).toFixed(2)} (${usage.gpuSeconds.toLocaleString('en-US')} GPU-seconds)`,
    ],
    ['Charged', formatMoney(usage.chargedMicros)],
    ['Credited', formatMoney(usage.creditedMicros)],
    ['Topped up', formatMoney(usage.toppedUpMicros)],
  ]);
}

/** `gantry statement`: opening balance, one row per entry, closing balance and totals. */
export function renderStatement(
  statement: GetStatementResponse,
  scope: string,
  wide: boolean,
): string {
  const columns: Column<StatementLine>[] = [
    { header: 'TIME', value: (l) => formatTime(l.time) },
    { header: 'KIND', value: (l) => l.kind },
    { header: 'AMOUNT', value: (l) => formatSignedMoney(l.amountMicros), align: 'right' },
    { header: 'BALANCE', value: (l) => formatMoney(l.balanceMicros), align: 'right' },
    { header: 'LEASE', value: (l) => l.leaseId },
    { header: 'DESCRIPTION', value: (l) => l.description, maxWidth: 60 },
  ];
  const all = wide
    ? [...columns, { header: 'POSTING', value: (l: StatementLine) => l.postingId }]
    : columns;
  return [
    `Statement of ${scope}`,
    `Opening balance  ${formatMoney(statement.openingBalanceMicros)}`,
    '',
    statement.lines.length > 0 ? renderTable(all, statement.lines, { wide }) : '(no entries)',
    '',
    `Closing balance  ${formatMoney(statement.closingBalanceMicros)}` +
      `  (charged ${formatMoney(statement.chargedMicros)}, credited ${formatMoney(statement.creditedMicros)})`,
  ].join('\n');
}
