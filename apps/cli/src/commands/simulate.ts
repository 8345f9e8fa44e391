import { type Command } from 'commander';
import { policyNames } from '@gantry/scheduling';
import { type CliEnvironment } from '../cli-environment';
import { action, examples, type Report } from '../program-kit';
import { runSimulate } from '../simulate/run-simulate';
import {
  parseSimulateOptions,
  SIMULATE_DEFAULTS,
  type RawSimulateOptions,
} from '../simulate/simulate-options';

export function registerSimulate(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('simulate')
    .description(
      'replay a GPU-cluster trace in simulated time through scheduling policies and compare them (no cluster needed)',
    )
    .option(
      '--trace <trace>',
      'philly, itp/cluster01..10, or a path to a trace CSV',
      SIMULATE_DEFAULTS.trace,
    )
    .option(
      '--cluster <spec>',
      'NODESxGPUSxMODEL[+...][/NODES_PER_FABRIC_DOMAIN] (e.g. 16x8xV100), or a JSON cluster file',
      SIMULATE_DEFAULTS.cluster,
    )
    .option(
      '--load <factor>',
      'divides inter-arrival times (2 = twice as many jobs per hour)',
      SIMULATE_DEFAULTS.load,
    )
    .option(
      '--policy <names>',
      `comma-separated policies (default: all: ${policyNames().join(',')})`,
    )
    .option(
      '--seed <n>',
      'seed of the tenant and priority-class rules; same seed, same figures',
      SIMULATE_DEFAULTS.seed,
    )
    .option('--limit <n>', 'replay only the first N jobs in submit order')
    .option(
      '--tenants <n>',
      'tenants for traces without their own (ITP)',
      SIMULATE_DEFAULTS.tenants,
    )
    .option(
      '--checkpoint-interval <seconds>',
      'jobs checkpoint every this many seconds of run time (preempted work since is lost)',
      SIMULATE_DEFAULTS.checkpointInterval,
    )
    .option('--html <file>', 'also write an HTML page with utilization and queue-length charts')
    .option(
      '--renters [spec]',
      'replay each policy again with seeded renter demand (interruptible leases bought from the offers) and print the market figures; ' +
        'spec: comma-separated key=value of rate (requests/h, 360), seed (1), duration (mean lease s, 3600), notice (s, 120), ' +
        'spread (bid above the floor, 0.5), count (renters, 20), sizes (GPUS:WEIGHT/..., 1:40/2:25/4:20/8:15)',
    )
    .option(
      '--traces-dir <dir>',
      'folder holding philly/ and itp/ (default: GANTRY_TRACES_DIR, else ../shared/traces beside the repository)',
    )
    .addHelpText(
      'after',
      examples(
        'gantry simulate                                        # Philly on 94x8 V100, every policy',
        'gantry simulate --trace itp/cluster04 --cluster 124x8xV100 --policy fifo,gantry',
        'gantry simulate --trace philly --cluster 16x8xV100 --load 1.5 --limit 5000 --seed 7 --html out.html',
        'gantry simulate --trace my-trace.csv --cluster cluster.json -o json | jq ".policies[].figures.avgJct"',
        'gantry simulate --cluster 78x8xV100 --policy gantry --renters                # the market targets on Philly',
        'gantry simulate --cluster 78x8xV100 --policy gantry --renters rate=720,seed=2,notice=60 -o json | jq ".policies[].market.figures"',
      ) +
        '\nThe report prints each policy beside FIFO (the baseline) with their ratios. Figures are the\n' +
        'same for the same seed, except the policy CPU times and wall times. See docs/simulator.md.\n' +
        'With --renters each policy replays twice, without and with renters, and the market section gives\n' +
        'the idle GPU-hours sold, internal queueing with / without renters, reclaims, notices and credits\n' +
        '(a policy without preemption, FIFO, never reclaims a lease). See docs/market.md.\n',
    )
    .action(
      action<RawSimulateOptions>(report, async ({ options, globals }) => {
        runSimulate(env, parseSimulateOptions(options), globals.output);
        return 0;
      }),
    );
}
