import { downsample, escapeXml, lineChart, niceStep } from './svg-chart';

describe('SVG line chart', () => {
  it.each([
    [100, 5, 20],
    [7, 5, 2],
    [0.9, 5, 0.2],
    [0, 5, 1],
  ])('steps [0, %d] into ~%d parts of %d', (max, count, step) => {
    expect(niceStep(max, count)).toBeCloseTo(step, 12);
  });

  it('averages long series down', () => {
    expect(
      downsample(
        [
          [0, 1],
          [1, 3],
          [2, 5],
          [3, 7],
        ],
        2,
      ),
    ).toEqual([
      [0, 2],
      [2, 6],
    ]);
  });

  it('draws one polyline per series, escaped names, inside its box', () => {
    const svg = lineChart({
      title: 'a < b',
      yLabel: 'y',
      formatX: String,
      formatY: String,
      series: [
        {
          name: 'fifo',
          color: '#000',
          points: [
            [0, 0],
            [10, 5],
          ],
        },
        {
          name: 'x&y',
          color: '#f00',
          points: [
            [0, 5],
            [10, 0],
          ],
        },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('x&#38;y');
    expect(svg).toContain('a &#60; b');
    expect(escapeXml(`"'`)).toBe('&#34;&#39;');
    const coordinates = [...svg.matchAll(/points="([^"]+)"/g)].flatMap((m) =>
      m[1]!.split(' ').map((p) => p.split(',').map(Number)),
    );
    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(70);
      expect(x).toBeLessThanOrEqual(880);
      expect(y).toBeGreaterThanOrEqual(30);
      expect(y).toBeLessThanOrEqual(250);
    }
  });
});
