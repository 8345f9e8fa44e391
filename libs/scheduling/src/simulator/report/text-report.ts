/**
 * The report for people: each policy's figures in a column, then each one's ratio to FIFO's
 * from the same run (`gantry/fifo` 0.300 = 30% of FIFO's), then the per-tenant average
 * slowdowns the same way; with renters, the market's figures (market-report.ts).
 */
import { ratiosTo } from '../metrics/metrics';
import { ratio } from '../metrics/stats';
import type { SimulationReport } from '../simulate';
import { baselineRun, describeInput, FIGURE_SPECS, formatRatio } from './figure-specs';
import { renderMarketSection } from './market-report';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    )
    .join('\n');
}

export function renderTextReport(report: SimulationReport): string {
  const base = baselineRun(report);
  const others = base ? report.runs.filter((run) => run !== base) : [];
  const header = [
    'figure',
    ...report.runs.map((run) => run.policy),
    ...others.map((run) => `${run.policy}/${base!.policy}`),
  ];
  const ratios = others.map((run) => ratiosTo(run.figures, base!.figures));
  const rows = FIGURE_SPECS.map((spec) => [
    spec.label,
    ...report.runs.map((run) => spec.format(run.figures[spec.key])),
    ...ratios.map((r) => formatRatio(r[spec.key])),
  ]);
  if (report.runs.every((run) => run.wallSeconds !== null))
    rows.push([
      'wall time (s)',
      ...report.runs.map((run) => run.wallSeconds!.toFixed(1)),
      ...others.map((run) => formatRatio(ratio(run.wallSeconds!, base!.wallSeconds!))),
    ]);
  const tenants = [
    ...new Set(report.runs.flatMap((run) => run.tenants.map((t) => t.tenant))),
  ].sort();
  const slowdownOf = (run: (typeof report.runs)[number], tenant: string) =>
    run.tenants.find((t) => t.tenant === tenant)?.avgSlowdown ?? null;
  const tenantRows = tenants.map((tenant) => [
    tenant,
    ...report.runs.map((run) => slowdownOf(run, tenant)?.toFixed(2) ?? '-'),
    ...others.map((run) => {
      const [mine, theirs] = [slowdownOf(run, tenant), slowdownOf(base!, tenant)];
      return formatRatio(mine === null || theirs === null ? null : ratio(mine, theirs));
    }),
  ]);
  return [
    describeInput(report),
    '',
    table([header, ...rows]),
    '',
    'avg slowdown per tenant',
    table([['tenant', ...header.slice(1)], ...tenantRows]),
    '',
    ...(report.input.renters ? [renderMarketSection(report)] : []),
  ].join('\n');
}
