/**
 * A line chart as inline SVG, no library: axes from 0, about five "nice" ticks each, one
 * polyline per series, a legend. Long series are averaged down to `maxPoints` first.
 */

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** [x, y], x ascending. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly formatX: (x: number) => string;
  readonly formatY: (y: number) => string;
  /** x ticks fall on round multiples of this unit (e.g. 86400 for days of seconds); default 1. */
  readonly xUnit?: number;
  /** Fixed top of the y axis (e.g. 100 for percentages); else from the data. */
  readonly yMax?: number;
  readonly width?: number;
  readonly height?: number;
  readonly maxPoints?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round step (1, 2 or 5 x 10^k) that splits [0, max] into about `count` parts. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Averages consecutive points so at most `max` remain. */
export function downsample(
  points: readonly (readonly [number, number])[],
  max: number,
): (readonly [number, number])[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const result: [number, number][] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    result.push([group[0]![0], group.reduce((sum, p) => sum + p[1], 0) / group.length]);
  }
  return result;
}

export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 900;
  const height = options.height ?? 300;
  const [left, right, top, bottom] = [70, 20, 30, 50];
  const series = options.series.map((s) => ({
    ...s,
    points: downsample(s.points, options.maxPoints ?? 1000),
  }));
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const dataMax = Math.max(0, ...all.map((p) => p[1]));
  const yStep = niceStep(options.yMax ?? dataMax, 5);
  const yMax = options.yMax ?? Math.max(yStep, Math.ceil(dataMax / yStep) * yStep);
  const xUnit = options.xUnit ?? 1;
  const xStep = niceStep(xMax / xUnit, 6) * xUnit;
  const px = (x: number) => left + (x / xMax) * (width - left - right);
  const py = (y: number) => top + (1 - y / yMax) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" font-size="11" transform="rotate(-90 14 ${(top + height - bottom) / 2})" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  ];
  for (let y = 0; y <= yMax + 1e-9; y += yStep)
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${(py(y) + 4).toFixed(1)}" font-size="11" text-anchor="end">${escapeXml(options.formatY(y))}</text>`,
    );
  for (let x = 0; x <= xMax + 1e-9; x += xStep)
    parts.push(
      `<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${top}" y2="${height - bottom}" stroke="#eee"/>`,
      `<text x="${px(x).toFixed(1)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${escapeXml(options.formatX(x))}</text>`,
    );
  parts.push(
    `<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#999"/>`,
  );
  series.forEach((s, i) => {
    const line = s.points
      .map(([x, y]) => `${px(x).toFixed(1)},${py(Math.min(y, yMax)).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${line}"><title>${escapeXml(s.name)}</title></polyline>`,
      `<rect x="${left + i * 140}" y="${height - 18}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${left + i * 140 + 18}" y="${height - 8}" font-size="12">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
