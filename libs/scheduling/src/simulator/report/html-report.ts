/**
 * One self-contained HTML page per simulation (no external assets): the input, the figures of
 * every policy with ratios to FIFO's, and two inline SVG charts over simulated time, GPU
 * utilization and pending jobs, one line per policy. With renters, per policy also the market's
 * figures and a chart of the cluster's GPUs in the replay with renters: held by internal jobs,
 * rented (held by leases) and idle.
 */
import { ratiosTo } from '../metrics/metrics';
import type { SimulationReport } from '../simulate';
import { baselineRun, describeInput, FIGURE_SPECS, formatRatio } from './figure-specs';
import { describeRenters, MARKET_ROWS } from './market-report';
import { escapeXml, lineChart } from './svg-chart';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Simulated seconds in days or hours, whichever reads better for the span. */
function timeAxis(span: number): { xUnit: number; formatX: (x: number) => string } {
  const [xUnit, suffix] = span >= 2 * 86400 ? [86400, 'd'] : [3600, 'h'];
  return { xUnit, formatX: (x) => `${+(x / xUnit).toFixed(2)} ${suffix}` };
}

function figuresTable(report: SimulationReport): string {
  const base = baselineRun(report);
  const others = base ? report.runs.filter((run) => run !== base) : [];
  const ratios = others.map((run) => ratiosTo(run.figures, base!.figures));
  const head = [
    'figure',
    ...report.runs.map((r) => r.policy),
    ...others.map((r) => `${r.policy}/${base!.policy}`),
  ];
  const rows = FIGURE_SPECS.map(
    (spec) =>
      `<tr><th>${escapeXml(spec.label)}</th>${report.runs
        .map((run) => `<td>${escapeXml(spec.format(run.figures[spec.key]))}</td>`)
        .join('')}${ratios.map((r) => `<td>${formatRatio(r[spec.key])}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

const GPU_SPLIT_COLORS = { internal: '#1f77b4', rented: '#ff7f0e', idle: '#7f7f7f' };

function marketTable(report: SimulationReport): string {
  const runs = report.runs.filter((run) => run.market !== null);
  const head = ['market (replay with renters vs without)', ...runs.map((r) => r.policy)];
  const rows = MARKET_ROWS.map(
    (row) =>
      `<tr><th>${escapeXml(row.label)}</th>${runs
        .map((run) => `<td>${escapeXml(row.value(run.market!.figures))}</td>`)
        .join('')}</tr>`,
  );
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** Per policy replayed with renters: its GPUs over time, internal / rented / idle. */
function marketSection(report: SimulationReport, axis: ReturnType<typeof timeAxis>): string {
  const runs = report.runs.filter((run) => run.market !== null);
  if (runs.length === 0 || !report.input.renters) return '';
  const gpus = report.input.gpus;
  const charts = runs.map((run) => {
    const market = run.market!;
    const at = (i: number) => market.timeline[i]!.at;
    const rented = market.rentedGpus;
    return lineChart({
      title: `GPUs with renters, ${run.policy}: internal / rented / idle`,
      yLabel: 'GPUs',
      yMax: gpus,
      ...axis,
      formatY: (y) => y.toLocaleString('en-US'),
      series: [
        {
          name: 'internal',
          color: GPU_SPLIT_COLORS.internal,
          points: market.timeline.map((p, i) => [at(i), p.busyGpus - rented[i]!] as const),
        },
        {
          name: 'rented',
          color: GPU_SPLIT_COLORS.rented,
          points: rented.map((r, i) => [at(i), r] as const),
        },
        {
          name: 'idle',
          color: GPU_SPLIT_COLORS.idle,
          points: market.timeline.map((p, i) => [at(i), gpus - p.busyGpus] as const),
        },
      ],
    });
  });
  return `<h2>Market</h2>
<p>${escapeXml(describeRenters(report.input.renters))}</p>
${marketTable(report)}
${charts.join('\n')}`;
}

export function renderHtmlReport(report: SimulationReport): string {
  const span = Math.max(
    1,
    ...report.runs.flatMap((run) => run.timeline.map((p) => p.at + run.timelineBucketSeconds)),
  );
  const axis = timeAxis(span);
  const gpus = report.input.gpus;
  const utilization = lineChart({
    title: 'GPU utilization over simulated time',
    yLabel: 'busy GPUs (%)',
    yMax: 100,
    ...axis,
    formatY: (y) => `${y}%`,
    series: report.runs.map((run, i) => ({
      name: run.policy,
      color: COLORS[i % COLORS.length]!,
      points: run.timeline.map((p) => [p.at, (p.busyGpus / gpus) * 100] as const),
    })),
  });
  const queue = lineChart({
    title: 'Queue length over simulated time',
    yLabel: 'pending jobs',
    ...axis,
    formatY: (y) => y.toLocaleString('en-US'),
    series: report.runs.map((run, i) => ({
      name: run.policy,
      color: COLORS[i % COLORS.length]!,
      points: run.timeline.map((p) => [p.at, p.pendingJobs] as const),
    })),
  });
  const title = `Gantry simulation: ${report.input.trace}, ${report.runs.map((r) => r.policy).join(' vs ')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{padding:3px 10px;border-bottom:1px solid #ddd}td{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left}</style>
</head><body>
<h1>${escapeXml(title)}</h1>
<p>${escapeXml(describeInput(report))}</p>
${figuresTable(report)}
<p>Time-weighted means per ${report.runs[0]?.timelineBucketSeconds ?? 0} s of simulated time.</p>
${utilization}
${queue}
${marketSection(report, axis)}
</body></html>
`;
}
