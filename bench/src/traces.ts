/**
 * `npm run bench:traces`: replays Philly and each ITP cluster whole, on the cluster the size
 * rule gives (trace-suite.ts), through FIFO and every other registered policy, and prints each
 * trace's figures with ratios to FIFO's from the same run, then a summary, with wall times.
 *   --only philly,itp/cluster04   some traces only      --policy gantry   policies besides FIFO
 *   --seed 7 (default 1)          --markdown            the summary as a Markdown table
 *   --offered 0.6                 the share of the cluster the trace's mean demand takes
 *   --traces-dir DIR              (default: GANTRY_TRACES_DIR, else ../shared/traces)
 */
import {
  createPolicy,
  parseClusterSpec,
  renderTextReport,
  simulate,
  type SimulationReport,
} from '@gantry/scheduling';
import {
  benchPolicies,
  cpuMs,
  fixed,
  markdown,
  numberFlag,
  parseFlags,
  table,
  tracesDir,
  whole,
} from './bench-kit';
import { loadTraceCase, OFFERED_LOAD, TRACE_NAMES } from './trace-suite';

function summaryRows(
  reports: readonly SimulationReport[],
  policies: readonly string[],
): string[][] {
  const [baseline, ...others] = policies;
  const rows: string[][] = [
    [
      'trace',
      'jobs',
      'cluster',
      ...policies.flatMap((p) => [`${p} avg JCT (s)`, `${p} avg wait (s)`]),
      ...others.flatMap((p) => [
        `${p}/${baseline} avg JCT`,
        `${p}/${baseline} worst tenant slowdown`,
        `${p}/${baseline} longest wait`,
      ]),
      ...policies.map((p) => `${p} wall (s)`),
    ],
  ];
  for (const report of reports) {
    const runOf = (policy: string) => report.runs.find((run) => run.policy === policy);
    const base = runOf(baseline!)!.figures;
    const ratio = (a: number, b: number) => fixed(3)(b === 0 ? null : a / b);
    rows.push([
      report.input.trace,
      whole(report.input.jobs),
      report.input.cluster.replace('-32GB/16', ''),
      ...policies.flatMap((p) => {
        const run = runOf(p);
        return run
          ? [whole(run.figures.avgJct), whole(run.figures.avgQueueDelay)]
          : ['stopped', '-'];
      }),
      ...others.flatMap((p) => {
        const run = runOf(p)?.figures;
        return run
          ? [
              ratio(run.avgJct, base.avgJct),
              ratio(run.worstTenantSlowdown, base.worstTenantSlowdown),
              ratio(run.longestWait, base.longestWait),
            ]
          : ['-', '-', '-'];
      }),
      ...policies.map((p) => fixed(1)(runOf(p)?.wallSeconds ?? null)),
    ]);
  }
  return rows;
}

const lastTenth = new Map<string, number>();

/** A line on stderr at every tenth of a replay's jobs ended. */
function progress(policy: string, ended: number, total: number): void {
  const tenth = Math.floor((ended * 10) / Math.max(1, total));
  if (tenth !== lastTenth.get(policy)) {
    lastTenth.set(policy, tenth);
    process.stderr.write(`  ${policy}: ${ended}/${total} jobs ended\n`);
  }
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2), [
    'only',
    'policy',
    'seed',
    'markdown',
    'traces-dir',
    'offered',
  ]);
  const names = flags.get('only')?.split(',') ?? TRACE_NAMES;
  const policies = benchPolicies(flags);
  const dir = tracesDir(flags);
  const seed = numberFlag(flags, 'seed', 1);
  const offered = numberFlag(flags, 'offered', OFFERED_LOAD);
  if (!(offered > 0 && offered <= 1))
    throw new Error(`--offered: must be in (0, 1] (got ${offered})`);
  const reports: SimulationReport[] = [];
  const started = Date.now();
  for (const name of names) {
    const trace = loadTraceCase(name, dir, offered);
    process.stderr.write(
      `${name}: ${trace.jobs.length} jobs, mean demand ${trace.meanDemandGpus.toFixed(0)} GPUs, cluster ${trace.cluster}\n`,
    );
    const run = (names: readonly string[]) =>
      simulate({
        traceName: name,
        trace: trace.jobs,
        cluster: parseClusterSpec(trace.cluster),
        load: 1,
        seed,
        limit: null,
        policies: names.map(createPolicy),
        cpuTimeMs: cpuMs,
        wallTimeMs: () => Date.now(),
        onProgress: progress,
      });
    lastTenth.clear();
    let report: SimulationReport;
    try {
      report = run(policies);
    } catch (error) {
      // A policy that breaks the engine's rules or storms: say so, keep the baseline's figures.
      const message = error instanceof Error ? error.message : String(error);
      process.stdout.write(`\n${name}: replay stopped: ${message}\n`);
      report = run(policies.slice(0, 1));
    }
    reports.push(report);
    process.stdout.write(`\n${renderTextReport(report)}\n`);
  }
  const rows = summaryRows(reports, policies);
  process.stdout.write(
    `\nSummary (ratios to FIFO from the same run; seed ${seed}; load 1; mean demand ${offered * 100}% of each cluster)\n`,
  );
  process.stdout.write(`${flags.has('markdown') ? markdown(rows) : table(rows)}\n`);
  process.stdout.write(`\ntotal wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main();
