/**
 * One self-contained HTML page per simulation (no external assets): the input, the figures of
 * every policy with ratios to FIFO's, and two inline SVG charts over simulated time, GPU
 * utilization and pending jobs, one line per policy.
 */
import { ratiosTo } from '../metrics/metrics';
import type { SimulationReport } from '../simulate';
import { baselineRun, describeInput, FIGURE_SPECS, formatRatio } from './figure-specs';
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
</body></html>
`;
}
