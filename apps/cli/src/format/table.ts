/**
 * Plain-text tables like squeue and kubectl print: a header row, columns padded to their widest
 * cell, two spaces between columns, no trailing spaces, no borders (so `awk` and `grep` work).
 */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Cells longer than this are cut with an ellipsis (not in wide output). */
  readonly maxWidth?: number;
  /** Numbers read better right-aligned. */
  readonly align?: 'left' | 'right';
}

const GAP = '  ';

/** Display width: counts code points, so `…` and non-ASCII letters take one column each. */
function width(text: string): number {
  return [...text].length;
}

export function truncate(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || width(text) <= maxWidth) return text;
  if (maxWidth <= 1) return [...text].slice(0, maxWidth).join('');
  return `${[...text].slice(0, maxWidth - 1).join('')}…`;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Cells are single-line: newlines and tabs become spaces. */
function clean(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: { wide?: boolean } = {},
): string {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = clean(c.value(row)) || '-';
      return options.wide ? text : truncate(text, c.maxWidth);
    }),
  );
  const widths = columns.map((c, i) =>
    Math.max(width(c.header), ...cells.map((line) => width(line[i]!))),
  );
  const render = (line: readonly string[]) =>
    line
      .map((text, i) => {
        const last = i === line.length - 1;
        const align = columns[i]!.align ?? 'left';
        return last && align === 'left' ? text : pad(text, widths[i]!, align);
      })
      .join(GAP)
      .trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join('\n');
}

/** `Key:   value` lines with the values aligned, for `gantry get`. */
export function renderFields(fields: readonly (readonly [string, string])[]): string {
  const size = Math.max(...fields.map(([key]) => width(key))) + 1;
  return fields.map(([key, value]) => `${pad(`${key}:`, size, 'left')}  ${value}`).join('\n');
}
