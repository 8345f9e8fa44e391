/**
 * The little CSV the traces need: comma-separated, no quoting, a header line, `\n` or `\r\n`
 * line ends, blank lines (a trailing one, or none at all) ignored.
 */
import { TraceFormatError } from './trace-job';

export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTable {
  /** Column name to field position. */
  readonly columns: ReadonlyMap<string, number>;
  readonly rows: readonly CsvRow[];
}

export function parseCsv(text: string, traceName: string): CsvTable {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, '');
  if (header.trim() === '') throw new TraceFormatError(`${traceName}: empty file (no header)`);
  const columns = new Map(header.split(',').map((name, position) => [name.trim(), position]));
  const rows: CsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    rows.push({ line: i + 1, fields: line.split(',') });
  }
  return { columns, rows };
}

/** The positions of the named columns; throws naming the missing ones. */
export function requireColumns(
  table: CsvTable,
  names: readonly string[],
  traceName: string,
): number[] {
  const missing = names.filter((name) => !table.columns.has(name));
  if (missing.length > 0)
    throw new TraceFormatError(
      `${traceName}: missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ` +
        `(header has ${[...table.columns.keys()].join(', ')})`,
    );
  return names.map((name) => table.columns.get(name)!);
}

/** A field as a finite number >= min; throws naming the line and column. */
export function numberField(
  row: CsvRow,
  position: number,
  column: string,
  traceName: string,
  min: number,
): number {
  const text = (row.fields[position] ?? '').trim();
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min)
    throw new TraceFormatError(
      `${traceName} line ${row.line}: ${column} must be a number >= ${min} (got '${text}')`,
    );
  return value;
}
