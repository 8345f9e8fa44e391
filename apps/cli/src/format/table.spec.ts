import { renderFields, renderTable, truncate, type Column } from './table';

interface Row {
  name: string;
  gpus: number;
  note: string;
}

const columns: Column<Row>[] = [
  { header: 'NAME', value: (r) => r.name, maxWidth: 8 },
  { header: 'GPUS', value: (r) => String(r.gpus), align: 'right' },
  { header: 'NOTE', value: (r) => r.note },
];

const rows: Row[] = [
  { name: 'train', gpus: 8, note: 'WaitingForResources' },
  { name: 'a-very-long-name', gpus: 16, note: '' },
];

describe('renderTable', () => {
  it('pads columns, right-aligns numbers, cuts long cells and shows - for empty ones', () => {
    expect(renderTable(columns, rows)).toBe(
      ['NAME      GPUS  NOTE', 'train        8  WaitingForResources', 'a-very-…    16  -'].join(
        '\n',
      ),
    );
  });

  it('cuts nothing in wide output', () => {
    const lines = renderTable(columns, rows, { wide: true }).split('\n');
    expect(lines[2]).toBe('a-very-long-name    16  -');
    expect(lines[0]).toBe('NAME              GPUS  NOTE');
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(columns, [])).toBe('NAME  GPUS  NOTE');
  });

  it('keeps every row on one line', () => {
    const text = renderTable(columns, [{ name: 'x', gpus: 1, note: 'two\nlines\tand tab' }]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('two lines and tab');
  });

  it('never leaves trailing spaces', () => {
    const short: Column<Row>[] = [columns[2]!, columns[0]!];
    for (const line of renderTable(short, rows).split('\n')) expect(line).toBe(line.trimEnd());
  });
});

describe('truncate', () => {
  it.each([
    ['abcdef', 4, 'abc…'],
    ['abc', 4, 'abc'],
    ['abcdef', 1, 'a'],
    ['abcdef', undefined, 'abcdef'],
  ])('cuts %j to %j columns as %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });
});

describe('renderFields', () => {
  it('aligns values after their keys', () => {
    expect(
      renderFields([
        ['ID', 'job_1'],
        ['State', 'running'],
      ]),
    ).toBe('ID:     job_1\nState:  running');
  });
});
