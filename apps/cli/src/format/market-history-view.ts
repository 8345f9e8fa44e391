/**
 * `gantry market history`: where the GPUs went over a period. The default view is three
 * sparklines of the share of GPUs that were internal, rented and idle (on one 0-100% scale, so
 * the lines compare), with the figures of the last sample and the revenue; `-o wide` lists every
 * sample.
 */
import { type MarketSample } from '@gantry/proto';
import { formatMoney } from '../market/dollars';
import { formatTime } from '../market/time-input';
import { formatDuration } from '../spec/duration';
import { renderTable } from './table';

const LEVELS = '▁▂▃▄▅▆▇█';

type Part = 'gpusInternal' | 'gpusRented' | 'gpusIdle';

/** A share of GPUs, 0-1, as one of eight block characters. */
function level(share: number): string {
  return LEVELS[Math.round(Math.min(1, Math.max(0, share)) * (LEVELS.length - 1))]!;
}

const share = (s: MarketSample, part: Part) => (s.gpusTotal > 0 ? s[part] / s.gpusTotal : 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The samples cut into `width` runs of (nearly) equal length; fewer when there are fewer. */
export function buckets<T>(items: readonly T[], width: number): T[][] {
  const count = Math.min(width, items.length);
  return Array.from({ length: count }, (_, i) =>
    items.slice(
      Math.floor((i * items.length) / count),
      Math.floor(((i + 1) * items.length) / count),
    ),
  );
}

/** One sparkline: each character the average share of a run of samples. */
export function sparkline(samples: readonly MarketSample[], part: Part, width: number): string {
  return buckets(samples, width)
    .map((run) => level(run.reduce((sum, s) => sum + share(s, part), 0) / run.length))
    .join('');
}

export function renderHistorySparklines(samples: readonly MarketSample[], width: number): string {
  if (samples.length === 0) return 'no market samples in this period';
  const sorted = [...samples].sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0));
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  const span = ((last.time?.getTime() ?? 0) - (first.time?.getTime() ?? 0)) / 1000;
  const columns = Math.min(width, sorted.length);
  const perColumn = columns > 1 ? ` (one column: ${formatDuration(span / (columns - 1))})` : '';
  const line = (name: string, part: Part) => {
    const shares = sorted.map((s) => share(s, part));
    const average = shares.reduce((a, b) => a + b, 0) / shares.length;
    return (
      `${name.padEnd(9)}${sparkline(sorted, part, width)}  ` +
      `now ${pct(share(last, part))}, average ${pct(average)}, peak ${pct(Math.max(...shares))}`
    );
  };
  const revenue = sorted.reduce((sum, s) => sum + s.revenueMicros, 0);
  return [
    `${formatTime(first.time)} to ${formatTime(last.time)}: ${sorted.length} samples${perColumn}, ` +
      'share of GPUs (▁ 0% to █ 100%)',
    line('internal', 'gpusInternal'),
    line('rented', 'gpusRented'),
    line('idle', 'gpusIdle'),
    `GPUs now ${last.gpusTotal}: ${last.gpusInternal} internal, ${last.gpusRented} rented, ` +
      `${last.gpusIdle} idle; queue pressure ${last.queuePressure.toFixed(2)}; ` +
      `revenue ${formatMoney(revenue)}`,
  ].join('\n');
}

/** `-o wide`: every sample. */
export function renderHistoryTable(samples: readonly MarketSample[]): string {
  const count = (header: string, value: (s: MarketSample) => number) => ({
    header,
    value: (s: MarketSample) => String(value(s)),
    align: 'right' as const,
  });
  return renderTable(
    [
      { header: 'TIME', value: (s: MarketSample) => formatTime(s.time) },
      count('TOTAL', (s) => s.gpusTotal),
      count('INTERNAL', (s) => s.gpusInternal),
      count('RENTED', (s) => s.gpusRented),
      count('IDLE', (s) => s.gpusIdle),
      {
        header: 'REVENUE',
        value: (s: MarketSample) => formatMoney(s.revenueMicros),
        align: 'right' as const,
      },
      {
        header: 'PRESSURE',
        value: (s: MarketSample) => s.queuePressure.toFixed(2),
        align: 'right' as const,
      },
    ],
    samples,
    { wide: true },
  );
}
