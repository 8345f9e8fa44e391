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
 *   --jitter-seeds 1,2,3  also replay without renters with every job submitted U[0, jitter) s
 *                         later (one replay per seed): how much the figure moves when nothing but
 *                         arrival times change (the replay's own noise, beside the market's effect)
 *   --jitter 120          the jitter's width, seconds (default: the notice)
 *   --paired              each renter seed against its own baseline: the arrivals jittered with
 *                         that seed, replayed without renters and with them (the pair differs by
 *                         the renters only; the seeds sample the replay's noise)
 */
import {
  buildCluster,
  buildWorkload,
  computeFigures,
  createPolicy,
  DEFAULT_POLICY_CONFIG,
  DEFAULT_RENTER_DEMAND,
  describeRenters,
  parseClusterSpec,
  prepareTrace,
  renderMarketTable,
  replayWithRenters,
  runEngine,
  mulberry32,
  type EngineInput,
  type MarketColumn,
  type SimJob,
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

/** The jobs, each submitted U[0, seconds) later (seeded), in submit order again. */
function jittered(jobs: readonly SimJob[], seconds: number, seed: number): SimJob[] {
  const random = mulberry32(seed);
  return jobs
    .map((job) => ({ ...job, submitAt: job.submitAt + Math.floor(random() * seconds) }))
    .sort((a, b) => a.submitAt - b.submitAt);
}

/** Seeds from a flag like 1,2,3. */
function seedsFlag(flags: ReadonlyMap<string, string>, name: string, fallback: string): number[] {
  const seeds = (flags.get(name) ?? fallback)
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0))
    throw new Error(`--${name}: must be whole numbers >= 0 (got '${flags.get(name)}')`);
  return seeds;
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
    'jitter-seeds',
    'jitter',
    'paired',
  ]);
  const started = Date.now();
  const trace = loadTraceCase(
    'philly',
    tracesDir(flags),
    numberFlag(flags, 'offered', OFFERED_LOAD),
  );
  const seeds = seedsFlag(flags, 'renter-seeds', '1');
  const jitterSeeds = seedsFlag(flags, 'jitter-seeds', '');
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
  // The replay without renters and unjittered: what unpaired columns and the jitter noise are
  // compared with (paired columns have their own baselines and never need it).
  let without: ReturnType<typeof runEngine> | undefined;
  let baselineSeconds = 0;
  const unjittered = (): ReturnType<typeof runEngine> => {
    if (!without) {
      const started = Date.now();
      without = runEngine(input);
      baselineSeconds = (Date.now() - started) / 1000;
    }
    return without;
  };
  const jitter = numberFlag(flags, 'jitter', demand.noticeSeconds);
  const paired = flags.has('paired');
  const columns: MarketColumn[] = seeds.map((seed) => {
    // Paired: this seed's arrivals jittered, replayed without renters, then with: the two
    // replays differ by the renters only, and the seeds sample the replay's own noise.
    const jobs = paired ? jittered(input.jobs, jitter, seed) : input.jobs;
    const baseline = paired
      ? runEngine({ ...input, jobs, onProgress: progress(`gantry jitter seed ${seed}`) })
      : unjittered();
    const wall = Date.now();
    const replay = replayWithRenters(
      { ...input, jobs, onProgress: progress(`gantry+renters seed ${seed}`) },
      baseline,
      { ...demand, seed },
    );
    return {
      name: paired ? `seed ${seed} paired` : `renter seed ${seed}`,
      figures: replay.figures,
      wallSeconds: (Date.now() - wall) / 1000,
    };
  });
  const ratios = columns.map((c) => c.figures.queueDelayRatio ?? NaN);
  const meanRatio = ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length);
  const table = renderMarketTable(columns, 'gantry, Philly, with renters vs without');
  const baseDelay =
    jitterSeeds.length > 0 ? computeFigures(unjittered()).figures.avgQueueDelay : Number.NaN;
  const noise = jitterSeeds.map((seed) => {
    const result = runEngine({
      ...input,
      jobs: jittered(input.jobs, jitter, seed),
      onProgress: progress(`gantry jitter seed ${seed}`),
    });
    const delay = computeFigures(result).figures.avgQueueDelay;
    return `  jitter seed ${seed}: avg queueing delay ${Math.round(delay).toLocaleString('en-US')} s, ${(delay / baseDelay).toFixed(3)} x the baseline's`;
  });
  process.stdout.write(
    `philly: ${workload.jobs.length.toLocaleString('en-US')} jobs, cluster ${trace.cluster} ` +
      `(${cluster.totalGpus} GPUs), load 1, seed ${numberFlag(flags, 'seed', 1)}, checkpoints every 1800 s, ` +
      `opportunistic classes below ${config.opportunisticBelowPriority}\n` +
      `${describeRenters(demand).replace(/seed \d+, /, '')}\n\n` +
      `${flags.has('markdown') ? markdown(table) : table}\n\n` +
      (columns.length > 1
        ? `queueing delay with / without, mean of ${columns.length}: ${meanRatio.toFixed(3)}\n\n`
        : '') +
      (noise.length > 0
        ? `without renters, every job submitted U[0, ${jitter}) s later (baseline ${Math.round(baseDelay).toLocaleString('en-US')} s):\n${noise.join('\n')}\n\n`
        : '') +
      (without ? `baseline (no renters) ${baselineSeconds.toFixed(1)} s; ` : '') +
      `total wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

main();
