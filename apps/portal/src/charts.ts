/**
 * Inline SVG charts for the admin view: stacked areas, lines and bars over time. The geometry
 * (scales, ticks, path data) is pure and tested; `renderChart` only turns it into elements.
 */

export interface Series {
  readonly name: string;
  /** The CSS class that colours it (portal.css). */
  readonly cls: string;
  readonly values: readonly number[];
}

export interface ChartSpec {
  readonly kind: 'stacked' | 'lines' | 'bars';
  /** Sample times, ms since the epoch, ascending; one value per series for each. */
  readonly times: readonly number[];
  readonly series: readonly Series[];
  /** How a value reads on the y axis and in tooltips. */
  readonly format: (value: number) => string;
}

export const WIDTH = 640;
export const HEIGHT = 220;
const MARGIN = { left: 64, right: 12, top: 10, bottom: 26 };

/** 0 and round steps up to at least `max` (about `count` of them). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max - 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** The largest value drawn: of the sums when stacked. */
export function largest(spec: ChartSpec): number {
  let max = 0;
  spec.times.forEach((_, i) => {
    const values = spec.series.map((s) => s.values[i] ?? 0);
    const top =
      spec.kind === 'stacked' ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
    max = Math.max(max, top);
  });
  return max;
}

export interface Geometry {
  readonly ticks: number[];
  x(time: number): number;
  y(value: number): number;
}

export function geometry(spec: ChartSpec): Geometry {
  const ticks = niceTicks(largest(spec));
  const top = ticks[ticks.length - 1]!;
  let first = spec.times[0] ?? 0;
  let last = spec.times[spec.times.length - 1] ?? 0;
  if (last - first < 1000) [first, last] = [first - 30_000, last + 30_000];
  const inner = WIDTH - MARGIN.left - MARGIN.right;
  const height = HEIGHT - MARGIN.top - MARGIN.bottom;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    ticks,
    x: (time) => round(MARGIN.left + ((time - first) / (last - first)) * inner),
    y: (value) => round(MARGIN.top + height - (value / top) * height),
  };
}

/** The path data of each series: areas stacked in order, lines, or bars side by side. */
export function paths(spec: ChartSpec, g = geometry(spec)): { series: Series; d: string }[] {
  const { times } = spec;
  const below = times.map(() => 0);
  const barWidth = Math.max(
    1,
    ((WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, times.length)) * 0.7,
  );
  return spec.series.map((series, s) => {
    const value = (i: number) => series.values[i] ?? 0;
    if (spec.kind === 'lines') {
      return {
        series,
        d: times.map((t, i) => `${i === 0 ? 'M' : 'L'}${g.x(t)},${g.y(value(i))}`).join(' '),
      };
    }
    if (spec.kind === 'bars') {
      const w = barWidth / spec.series.length;
      const bars = times.map((t, i) => {
        const left = Math.round((g.x(t) - barWidth / 2 + s * w) * 10) / 10;
        return `M${left},${g.y(0)} V${g.y(value(i))} h${Math.round(w * 10) / 10} V${g.y(0)} Z`;
      });
      return { series, d: bars.join(' ') };
    }
    const lower = times.map((t, i) => `${g.x(t)},${g.y(below[i]!)}`).reverse();
    const upper = times.map((t, i) => `${g.x(t)},${g.y((below[i] = below[i]! + value(i)))}`);
    return { series, d: `M${upper.join(' L')} L${lower.join(' L')} Z` };
  });
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A time on the x axis: seconds when the chart spans minutes, the date when it spans days. */
export function timeLabel(time: number, spanMs: number): string {
  const at = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (spanMs < 10 * 60_000) return `${clock}:${pad(at.getSeconds())}`;
  if (spanMs < 2 * 86_400_000) return clock;
  return `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock}`;
}

/** Draws the chart into a <figure>, replacing what was drawn before (the caption stays). */
export function renderChart(figure: HTMLElement, spec: ChartSpec): void {
  figure.querySelectorAll('svg, .legend').forEach((old) => old.remove());
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'data-points': spec.times.length,
    'aria-label': figure.querySelector('figcaption')?.textContent ?? 'chart',
  });
  if (spec.times.length === 0) {
    root.append(svg('text', { x: WIDTH / 2, y: HEIGHT / 2, class: 'nodata' }, 'No samples yet'));
    figure.append(root);
    return;
  }
  const g = geometry(spec);
  for (const tick of g.ticks) {
    root.append(
      svg('line', {
        x1: MARGIN.left,
        x2: WIDTH - MARGIN.right,
        y1: g.y(tick),
        y2: g.y(tick),
        class: 'grid',
      }),
    );
    root.append(
      svg('text', { x: MARGIN.left - 6, y: g.y(tick) + 4, class: 'tick y' }, spec.format(tick)),
    );
  }
  const times = spec.times;
  const span = times[times.length - 1]! - times[0]!;
  const clock = (time: number) => timeLabel(time, span);
  const marks = [
    ...new Set([times[0]!, times[Math.floor(times.length / 2)]!, times[times.length - 1]!]),
  ];
  marks.forEach((time, i) => {
    const anchor = i === 0 ? 'start' : i === marks.length - 1 ? 'end' : 'middle';
    root.append(
      svg('text', { x: g.x(time), y: HEIGHT - 8, class: `tick x ${anchor}` }, clock(time)),
    );
  });
  for (const { series, d } of paths(spec, g)) {
    const path = svg('path', {
      d,
      class: `series ${spec.kind} ${series.cls}`,
      'data-series': series.name,
    });
    const latest = series.values[series.values.length - 1] ?? 0;
    path.append(
      svg(
        'title',
        {},
        `${series.name}: ${spec.format(latest)} at ${clock(times[times.length - 1]!)}`,
      ),
    );
    root.append(path);
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const series of spec.series) {
    const item = document.createElement('span');
    item.className = 'key';
    item.append(Object.assign(document.createElement('i'), { className: series.cls }), series.name);
    legend.append(item);
  }
  figure.append(root, legend);
}
