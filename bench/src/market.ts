/**
 * `npm run bench:market`: the market's targets of issue 5 on Philly. The whole trace replays
 * through gantry on the cluster `bench:traces` gives it (its mean GPU demand is 60% of the
 * cluster: 78 x 8 V100, load 1, seed 1), once without renters (the baseline), then with the
 * documented renter demand (`DEFAULT_RENTER_DEMAND`: 360 interruptible lease requests an hour)
 * for each renter seed, in one run, and prints the market's figures, the ratios to the baseline
 * and whether each target is met.
 *   --renter-seeds 1,2,3  demand seeds (one replay each)  --rate 360   lease requests per hour
 *   --mean-duration 3600  mean lease, seconds             --notice 120 notice, seconds
 *   --opportunistic-below 100   the policy's opportunistic classes (0: leases wait like any victim)
 *   --limit N             the first N jobs only           --seed 1     the workload's seed
 *   --offered 0.6         cluster sizing (as bench:traces)
 *   --traces-dir DIR      (default: GANTRY_TRACES_DIR, else ../shared/traces)   --markdown
 */
import {
  buildCluster,
  buildWorkload,
  createPolicy,
  DEFAULT_POLICY_CONFIG,
  DEFAULT_RENTER_DEMAND,
  describeRenters,
  parseClusterSpec,
  prepareTrace,
  renderMarketTable,
  replayWithRenters,
  runEngine,
  type EngineInput,
  type MarketColumn,
} from '@gantry/scheduling';
import { cpuMs, numberFlag, parseFlags, tracesDir } from './bench-kit';
import { loadTraceCase, OFFERED_LOAD } from './trace-suite';

const lastTenth = new Map<string, number>();

function progress(name: string) {
  return (ended: number, total: number): void => {
    const tenth = Math.floor((ended * 10) / Math.max(1, total));
    if (tenth === lastTenth.get(name)) return;
    lastTenth.set(name, tenth);
    process.stderr.write(`  ${name}: ${ended}/${total} trace jobs ended\n`);
  };
}

/** The Markdown form of the text table (for the README). */
function markdown(text: string): string {
  const rows = text.split('\n').map((line) => line.split(/ {2,}/).map((cell) => cell.trim()));
  const [head, ...body] = rows;
  return [head!, head!.map((_, c) => (c === 0 ? '---' : '---:')), ...body]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

function main(): void {
  const flags = parseFlags(process.argv.slice(2), [
    'renter-seeds',
    'rate',
    'mean-duration',
    'notice',
    'opportunistic-below',
    'limit',
    'seed',
    'offered',
    'traces-dir',
    'markdown',
  ]);
  const started = Date.now();
  const trace = loadTraceCase(
    'philly',
    tracesDir(flags),
    numberFlag(flags, 'offered', OFFERED_LOAD),
  );
  const seeds = (flags.get('renter-seeds') ?? '1').split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0))
    throw new Error(
      `--renter-seeds: must be whole numbers >= 0 (got '${flags.get('renter-seeds')}')`,
    );
  const demand = {
    ...DEFAULT_RENTER_DEMAND,
    ratePerHour: numberFlag(flags, 'rate', DEFAULT_RENTER_DEMAND.ratePerHour),
    meanDurationSeconds: numberFlag(
      flags,
      'mean-duration',
      DEFAULT_RENTER_DEMAND.meanDurationSeconds,
    ),
    noticeSeconds: numberFlag(flags, 'notice', DEFAULT_RENTER_DEMAND.noticeSeconds),
  };
  const config = {
    ...DEFAULT_POLICY_CONFIG,
    opportunisticBelowPriority: numberFlag(
      flags,
      'opportunistic-below',
      DEFAULT_POLICY_CONFIG.opportunisticBelowPriority!,
    ),
  };
  const cluster = buildCluster(parseClusterSpec(trace.cluster), config.fabricLabel);
  const limit = flags.has('limit') ? numberFlag(flags, 'limit', 0) : null;
  const workload = buildWorkload(prepareTrace(trace.jobs, { load: 1, limit }), cluster, {
    seed: numberFlag(flags, 'seed', 1),
  });
  process.stderr.write(
    `philly: ${workload.jobs.length} jobs, mean demand ${trace.meanDemandGpus.toFixed(0)} GPUs, cluster ${trace.cluster}\n`,
  );
  const input: EngineInput = {
    jobs: workload.jobs,
    nodes: cluster.nodes,
    queues: workload.queues,
    classes: workload.classes,
    policy: createPolicy('gantry'),
    config,
    checkpointIntervalSeconds: 1800,
    cpuTimeMs: cpuMs,
    onProgress: progress('gantry'),
  };
  let wall = Date.now();
  const without = runEngine(input);
  const baselineSeconds = (Date.now() - wall) / 1000;
  const columns: MarketColumn[] = seeds.map((seed) => {
    wall = Date.now();
    const replay = replayWithRenters(
      { ...input, onProgress: progress(`gantry+renters seed ${seed}`) },
      without,
      { ...demand, seed },
    );
    return {
      name: `renter seed ${seed}`,
      figures: replay.figures,
      wallSeconds: (Date.now() - wall) / 1000,
    };
  });
  const table = renderMarketTable(columns, 'gantry, Philly, with renters vs without');
  process.stdout.write(
    `philly: ${workload.jobs.length.toLocaleString('en-US')} jobs, cluster ${trace.cluster} ` +
      `(${cluster.totalGpus} GPUs), load 1, seed ${numberFlag(flags, 'seed', 1)}, checkpoints every 1800 s, ` +
      `opportunistic classes below ${config.opportunisticBelowPriority}\n` +
      `${describeRenters(demand).replace(/seed \d+, /, '')}\n\n` +
      `${flags.has('markdown') ? markdown(table) : table}\n\n` +
      `baseline (no renters) ${baselineSeconds.toFixed(1)} s; total wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

main();
