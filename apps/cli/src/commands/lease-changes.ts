/**
 * `gantry lease watch|extend|release|reclaim`: following a lease and changing one that exists.
 * `reclaim` is the admins' (AdminService.ReclaimLease); the others are the renter's.
 */
import { type Command } from 'commander';
import { Lease } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { describeChange, leaseSummary } from '../format/lease-view';
import { action, examples, type Report } from '../program-kit';
import { parseDuration } from '../spec/duration';
import { leaseRendererFor, watchLeaseToEnd } from '../watch/watch-lease';

function parseSequence(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`--from-sequence: must be a whole number, 0 or more (got '${text}')`);
  return n;
}

/** Prints a changed lease: its protobuf JSON, or one line saying where it stands now. */
function printLease(env: CliEnvironment, json: boolean, lease: Lease): void {
  if (json) writeJson(env.stdout, Lease.toJSON(lease));
  else writeLine(env.stdout, describeChange(lease, env.now()));
}

export function registerLeaseChanges(lease: Command, env: CliEnvironment, report: Report): void {
  lease
    .command('watch')
    .description(
      "follow a lease's events until it ends: started, notice, reclaimed, charges, credits",
    )
    .argument('<lease-id>', 'the lease to follow')
    .option('--from-sequence <n>', 'start at this event number (0: the whole history)', '0')
    .addHelpText(
      'after',
      examples(
        'gantry lease watch lease_01jf...',
        'gantry lease watch lease_01jf... -o json | jq -c "select(.type == \\"notice\\")"',
        'gantry lease watch lease_01jf... || echo "lease ended early: $?"',
      ) +
        '\nOn a terminal it shows a live view: the state, a countdown to the reclaim while a\n' +
        'notice runs (save your work before it reaches 0), what was charged and credited, and the\n' +
        'last events. Otherwise one line per event (UTC times), or with -o json one protobuf-JSON\n' +
        'LeaseEvent per line. It resumes after a dropped connection.\n' +
        'Exit code: 0 when the lease was released or expired, 13 when it was reclaimed, 14 when\n' +
        'it ran out of money (unfunded) or failed.\n',
    )
    .action(
      action<{ fromSequence: string }>(report, async ({ args, options, globals }) => {
        const fromSequence = parseSequence(options.fromSequence);
        const api = await env.connect(globals);
        const found = await api.getLease(String(args[0]));
        const renderer = leaseRendererFor(env, globals.output, leaseSummary(found));
        return watchLeaseToEnd(env, api, found.id, fromSequence, renderer, found);
      }),
    );

  lease
    .command('extend')
    .description(
      'make a lease end later (on-demand and interruptible; a reserved window cannot move)',
    )
    .argument('<lease-id>', 'the lease')
    .requiredOption('--by <duration>', 'how much later: 30m, 1h, 2h30m')
    .addHelpText('after', examples('gantry lease extend lease_01jf... --by 1h'))
    .action(
      action<{ by: string }>(report, async ({ args, options, globals }) => {
        const seconds = parseDuration(options.by, '--by');
        if (seconds <= 0) throw new UsageError(`--by: must be more than 0 (got '${options.by}')`);
        const api = await env.connect(globals);
        printLease(env, globals.output === 'json', await api.extendLease(String(args[0]), seconds));
        return 0;
      }),
    );

  lease
    .command('release')
    .description(
      'end a lease now: its jobs are stopped and metering stops (an ended lease is shown)',
    )
    .argument('<lease-id>', 'the lease')
    .addHelpText('after', examples('gantry lease release lease_01jf...'))
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        printLease(env, globals.output === 'json', await api.releaseLease(String(args[0])));
        return 0;
      }),
    );

  lease
    .command('reclaim')
    .description("take a lease's GPUs back with notice, e.g. for maintenance (needs an admin key)")
    .argument('<lease-id>', 'the lease')
    .requiredOption('--notice <duration>', 'how long the renter has: 30s, 2m, 0s for at once')
    .option('--reason <text>', 'why, shown to the renter', '')
    .addHelpText(
      'after',
      examples(
        'gantry lease reclaim lease_01jf... --notice 2m --reason "node maintenance"',
        'gantry lease reclaim lease_01jf... --notice 0s',
      ) +
        '\nA notice shorter than the one the lease promised is credited to the renter\n' +
        'automatically (ADR 10), as is an on-demand or reserved lease cut short.\n',
    )
    .action(
      action<{ notice: string; reason: string }>(report, async ({ args, options, globals }) => {
        const seconds = parseDuration(options.notice, '--notice');
        const api = await env.connect(globals);
        const reclaimed = await api.reclaimLease({
          leaseId: String(args[0]),
          notice: { seconds, nanos: 0 },
          reason: options.reason,
        });
        printLease(env, globals.output === 'json', reclaimed);
        return 0;
      }),
    );
}
