/**
 * The flags that describe a lease, shared by `gantry quote` and `gantry lease create` so the two
 * always take the same request (market/lease-request.ts turns them into one).
 */
import { type Command } from 'commander';
import { gpuModelIds } from '@gantry/domain';

export function addLeaseFlags(command: Command): Command {
  return command
    .option('--product <product>', 'interruptible, on-demand or reserved (required)')
    .option('--gpus <n>', 'GPUs on each node (required)')
    .option('--nodes <n>', 'nodes, all in one fabric domain (default 1)')
    .option('--gpu-model <model>', `the GPU model (required): ${gpuModelIds().join(', ')}`)
    .option('--fabric-domain <domain>', 'only in this fabric domain (default: any)')
    .option('--duration <duration>', 'how long: 2h, 30m, 1h30m, 7d (reserved: the window length)')
    .option(
      '--bid <dollars>',
      'interruptible: what you pay per GPU-hour, in dollars (1.20 = $1.20/GPU-h), at least the floor',
    )
    .option(
      '--window-start <time>',
      'reserved: when the window starts, like 2026-12-06T10:00Z, or 2h from now',
    );
}

/** The notes every lease-describing command's --help ends with. */
export const LEASE_FLAGS_HELP =
  '\nProducts: on-demand runs while funded and is never reclaimed; interruptible pays its bid\n' +
  'and may be reclaimed with notice when internal work needs the GPUs (a notice cut short is\n' +
  'credited); reserved is a future window, priced when bought. Money is in dollars with at most\n' +
  '6 decimals; times take a zone (2026-12-06T10:00Z, 2026-12-06T11:00+01:00) or a duration\n' +
  'from now (2h).\n';
