/**
 * `npm run bench:market`: the market's targets of issue 5 on Philly. The trace replays whole
 * through gantry on the cluster `bench:traces` gives it (its mean GPU demand is 60% of the
 * cluster: 78 x 8 V100, load 1, seed 1), once without renters (the baseline) and once with the
 * documented renter demand (`DEFAULT_RENTER_DEMAND`: 360 interruptible lease requests an hour),
 * in one run, and prints the market's figures with the ratios to the baseline and whether each
 * target is met.
 *   --rate 360            lease requests per hour       --renter-seed 1   seed of the demand
 *   --mean-duration 3600  mean lease, seconds           --notice 120      notice, seconds
 *   --limit N             the first N jobs only         --seed 1          the workload's seed
 *   --policy gantry       policies (FIFO only if named) --offered 0.6     cluster sizing
 *   --traces-dir DIR      (default: GANTRY_TRACES_DIR, else ../shared/traces)   --json
 */
import {
  createPolicy,
  DEFAULT_RENTER_DEMAND,
  describeInput,
  parseClusterSpec,
  renderMarketSection,
  simulate,
  toJsonReport,
} from '@gantry/scheduling';
import { cpuMs, numberFlag, parseFlags, tracesDir } from './bench-kit';
import { loadTraceCase, OFFERED_LOAD } from './trace-suite';

const lastTenth = new Map<string, number>();

function progress(policy: string, ended: number, total: number): void {
  const tenth = Math.floor((ended * 10) / Math.max(1, total));
  if (tenth !== lastTenth.get(policy)) {
    lastTenth.set(policy, tenth);
    process.stderr.write(`  ${policy}: ${ended}/${total} trace jobs ended\n`);
  }
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2), [
    'rate',
    'renter-seed',
    'mean-duration',
    'notice',
    'limit',
    'seed',
    'policy',
    'offered',
    'traces-dir',
    'json',
  ]);
  const policies = (flags.get('policy') ?? 'gantry').split(',').filter(Boolean);
  const offered = numberFlag(flags, 'offered', OFFERED_LOAD);
  const trace = loadTraceCase('philly', tracesDir(flags), offered);
  const limit = flags.has('limit') ? numberFlag(flags, 'limit', 0) : null;
  const renters = {
    ...DEFAULT_RENTER_DEMAND,
    ratePerHour: numberFlag(flags, 'rate', DEFAULT_RENTER_DEMAND.ratePerHour),
    seed: numberFlag(flags, 'renter-seed', DEFAULT_RENTER_DEMAND.seed),
    meanDurationSeconds: numberFlag(
      flags,
      'mean-duration',
      DEFAULT_RENTER_DEMAND.meanDurationSeconds,
    ),
    noticeSeconds: numberFlag(flags, 'notice', DEFAULT_RENTER_DEMAND.noticeSeconds),
  };
  process.stderr.write(
    `philly: ${trace.jobs.length} jobs, mean demand ${trace.meanDemandGpus.toFixed(0)} GPUs, cluster ${trace.cluster}\n`,
  );
  const started = Date.now();
  const report = simulate({
    traceName: 'philly',
    trace: trace.jobs,
    cluster: parseClusterSpec(trace.cluster),
    load: 1,
    seed: numberFlag(flags, 'seed', 1),
    limit,
    policies: policies.map(createPolicy),
    cpuTimeMs: cpuMs,
    wallTimeMs: () => Date.now(),
    onProgress: progress,
    renters,
  });
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(toJsonReport(report), null, 2)}\n`);
    return;
  }
  const wall = report.runs
    .map((run) => `${run.policy} ${run.wallSeconds?.toFixed(1)} s without renters`)
    .join(', ');
  process.stdout.write(`${describeInput(report)}\n${renderMarketSection(report)}`);
  process.stdout.write(
    `\n${wall}; total wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

main();
