import { type Command } from 'commander';
import { Lease } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { present } from '../connection/file-api';
import { UsageError } from '../errors/cli-errors';
import {
  describeCreated,
  leaseSummary,
  renderLeaseDetails,
  renderLeaseTable,
} from '../format/lease-view';
import { leaseRequestFromFlags, type LeaseFlags } from '../market/lease-request';
import { parseLeaseStates } from '../market/names';
import { action, collect, examples, type Report } from '../program-kit';
import { leaseRendererFor, watchLeaseToEnd } from '../watch/watch-lease';
import { addLeaseFlags, LEASE_FLAGS_HELP } from './lease-flags';
import { registerLeaseChanges } from './lease-changes';
import { parseLimit } from './list';

interface CreateOptions extends LeaseFlags {
  readonly idempotencyKey?: string;
  readonly watch?: boolean;
  readonly parsable?: boolean;
}

interface ListOptions {
  readonly state?: string[];
  readonly limit: string;
  readonly allPages?: boolean;
}

/** `gantry lease ...`: buy, inspect, follow, extend and release leases (and reclaim: admins). */
export function registerLease(program: Command, env: CliEnvironment, report: Report): void {
  const lease = program
    .command('lease')
    .description('buy GPU hours and manage your leases: create, get, list, watch, extend, release')
    .addHelpText(
      'after',
      examples(
        'gantry lease create --product on-demand --gpus 8 --gpu-model H100-80GB --duration 2h',
        'gantry lease list --state live',
        'gantry submit --lease lease_01jf... --gpus 8 -- python train.py',
        'gantry lease watch lease_01jf...',
        'gantry lease extend lease_01jf... --by 1h',
        'gantry lease release lease_01jf...',
      ),
    );

  addLeaseFlags(lease.command('create').description('buy a lease (see gantry quote for its price)'))
    .option(
      '--idempotency-key <key>',
      'retrying with the same key and flags returns the same lease',
    )
    .option('--watch', 'then follow it like gantry lease watch, and exit by how it ended')
    .option('--parsable', 'print only the lease id')
    .addHelpText(
      'after',
      examples(
        'gantry lease create --product on-demand --gpus 8 --gpu-model H100-80GB --duration 2h',
        'gantry lease create --product interruptible --gpus 4 --gpu-model H100-80GB --duration 6h \\',
        '    --bid 1.20 --idempotency-key train-run-7 --watch',
        'gantry lease create --product reserved --gpus 8 --nodes 2 --gpu-model H100-80GB \\',
        '    --duration 8h --window-start 2026-12-06T10:00Z',
        'LEASE=$(gantry lease create --product on-demand --gpus 1 --gpu-model L4-24GB --duration 1h --parsable)',
      ) +
        LEASE_FLAGS_HELP +
        'Without --idempotency-key, running the command again buys a second lease; with one, a\n' +
        'retry returns the first (the same key with other flags is exit 6). -o json prints\n' +
        '{"lease", "created"}. --watch exits 0 when the lease was released or expired, 13 when it\n' +
        'was reclaimed, 14 when it ran out of money or failed.\n',
    )
    .action(
      action<CreateOptions>(report, async ({ options, globals }) => {
        const request = leaseRequestFromFlags(options, env.now(), { bidRequired: true });
        if (options.parsable && options.watch)
          throw new UsageError('--parsable prints only the id; it cannot go with --watch');
        const api = await env.connect(globals);
        const response = await api.createLease({
          lease: request,
          idempotencyKey: options.idempotencyKey ?? '',
        });
        const bought = present(response.lease, 'lease');
        const text = describeCreated(bought, response.created, env.now());
        if (options.parsable) writeLine(env.stdout, bought.id);
        else if (globals.output !== 'json') writeLine(env.stdout, text);
        else if (options.watch) writeLine(env.stderr, text);
        else
          writeJson(env.stdout, {
            lease: Lease.toJSON(bought),
            created: response.created,
          });
        if (!options.watch) return 0;
        const renderer = leaseRendererFor(env, globals.output, leaseSummary(bought));
        return watchLeaseToEnd(env, api, bought.id, 0, renderer, bought);
      }),
    );

  lease
    .command('get')
    .description('show one lease: product and price, GPUs and nodes, state, times, charges')
    .argument('<lease-id>', 'the lease, e.g. lease_01jf...')
    .addHelpText(
      'after',
      examples(
        'gantry lease get lease_01jf...',
        'gantry lease get lease_01jf... -o json | jq -r .state',
      ),
    )
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        const found = await api.getLease(String(args[0]));
        if (globals.output === 'json') writeJson(env.stdout, Lease.toJSON(found));
        else if (globals.output === 'wide')
          writeLine(env.stdout, renderLeaseTable([found], env.now(), true));
        else writeLine(env.stdout, renderLeaseDetails(found, env.now()));
        return 0;
      }),
    );

  lease
    .command('list')
    .alias('ls')
    .description('list your leases, newest first')
    .option(
      '--state <state>',
      'only leases in this state (repeatable or comma-separated; live = not ended)',
      collect,
    )
    .option('--limit <n>', 'leases per page, 1-1000', '100')
    .option('--all-pages', 'fetch every page, not only the first')
    .addHelpText(
      'after',
      examples(
        'gantry lease list',
        'gantry lease list --state live -o wide',
        'gantry lease list --all-pages -o json | jq -r ".leases[].id"',
      ) +
        '\nStates: pending (waiting for GPUs or its window), active, notice (being reclaimed),\n' +
        'ended. REASON: how an ended lease ended (released, expired, reclaimed, unfunded, failed),\n' +
        'or when a lease in notice is reclaimed. LEFT: time to its expiry, or to the reclaim.\n' +
        '-o wide adds GPU-H, CREDITED, DOMAIN, NODES, EXPIRES and MESSAGE.\n',
    )
    .action(
      action<ListOptions>(report, async ({ options, globals }) => {
        const states = parseLeaseStates(options.state ?? []);
        const pageSize = parseLimit(options.limit);
        const api = await env.connect(globals);
        const leases: Lease[] = [];
        let pageToken = '';
        do {
          const page = await api.listLeases({ states, pageSize, pageToken });
          leases.push(...page.leases);
          pageToken = page.nextPageToken;
        } while (options.allPages && pageToken !== '');
        if (globals.output === 'json') {
          writeJson(env.stdout, {
            leases: leases.map((l) => Lease.toJSON(l)),
            ...(pageToken ? { nextPageToken: pageToken } : {}),
          });
          return 0;
        }
        writeLine(env.stdout, renderLeaseTable(leases, env.now(), globals.output === 'wide'));
        if (pageToken) env.stderr.write('(more leases: raise --limit or pass --all-pages)\n');
        return 0;
      }),
    );

  registerLeaseChanges(lease, env, report);
}
