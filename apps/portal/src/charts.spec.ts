import { geometry, HEIGHT, largest, niceTicks, paths, timeLabel, type ChartSpec } from './charts';

const minute = 60_000;
const spec = (kind: ChartSpec['kind'], values: number[][]): ChartSpec => ({
  kind,
  times: values[0]!.map((_, i) => i * minute),
  series: values.map((v, i) => ({ name: `s${i}`, cls: `c${i}`, values: v })),
  format: String,
});

describe('charts', () => {
  it.each([
    [8, [0, 2, 4, 6, 8]],
    [7, [0, 2, 4, 6, 8]],
    [1, [0, 0.25, 0.5, 0.75, 1]],
    [0.3, [0, 0.1, 0.2, 0.3]],
    [2_500_000, [0, 1_000_000, 2_000_000, 3_000_000]],
    [0, [0, 1]],
  ])('ticks up to %p: %p', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });

  it('scales to the sums when stacked, to the largest value otherwise', () => {
    expect(
      largest(
        spec('stacked', [
          [1, 2],
          [3, 4],
          [0, 2],
        ]),
      ),
    ).toBe(8);
    expect(
      largest(
        spec('lines', [
          [1, 2],
          [3, 4],
          [0, 2],
        ]),
      ),
    ).toBe(4);
  });

  it('stacks each area on the ones before it, closing it along their top', () => {
    const chart = spec('stacked', [
      [2, 2],
      [1, 3],
    ]);
    const g = geometry(chart);
    const [first, second] = paths(chart, g);
    const base = g.y(0);
    expect(first!.d).toBe(
      `M${g.x(0)},${g.y(2)} L${g.x(minute)},${g.y(2)} L${g.x(minute)},${base} L${g.x(0)},${base} Z`,
    );
    expect(second!.d).toBe(
      `M${g.x(0)},${g.y(3)} L${g.x(minute)},${g.y(5)} L${g.x(minute)},${g.y(2)} L${g.x(0)},${g.y(2)} Z`,
    );
  });

  it('puts the top tick at the top of the plot and zero at its bottom', () => {
    const g = geometry(spec('lines', [[0, 8]]));
    expect(g.y(8)).toBeLessThan(g.y(0));
    expect(g.y(0)).toBeLessThan(HEIGHT);
    expect(g.x(0)).toBeLessThan(g.x(minute));
  });

  it('draws lines point to point and bars from zero', () => {
    const lines = paths(spec('lines', [[1, 2, 3]]))[0]!.d;
    expect(lines.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    const bars = paths(spec('bars', [[1, 0, 3]]))[0]!.d;
    expect(bars.match(/Z/g)).toHaveLength(3);
  });

  it('draws a single sample somewhere inside the plot', () => {
    const g = geometry(spec('lines', [[5]]));
    expect(Number.isFinite(g.x(0))).toBe(true);
  });
});

describe('time labels', () => {
  const at = new Date(2026, 11, 5, 9, 7, 3).getTime();
  it.each([
    [5 * 60_000, '09:07:03'],
    [6 * 3600_000, '09:07'],
    [7 * 86_400_000, '12-05 09:07'],
  ])('over a span of %p ms: %s', (span, label) => {
    expect(timeLabel(at, span)).toBe(label);
  });
});
