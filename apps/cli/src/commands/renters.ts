/**
 * `gantry renters ...` (admins): renters are tenants that buy GPU hours (ADR 10). Create one
 * (its API key is shown once), list them with their balances, top one up, set its spend limit.
 */
import { type Command } from 'commander';
import { Renter, TopUpResponse } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { describeRenter, renderRenterTable } from '../format/renter-view';
import { formatMoney, parseDollars } from '../market/dollars';
import { action, examples, type Report } from '../program-kit';

interface TopUpOptions {
  readonly idempotencyKey?: string;
  readonly note?: string;
}

/**
 * A top-up needs a key the admin chose: running the same command line again (the natural retry
 * after a timeout) must then be the same top-up, which a key made up by each run could not be.
 */
function topUpKey(key: string | undefined): string {
  if (key === undefined || key.trim() === '')
    throw new UsageError(
      '--idempotency-key: required: name this top-up, e.g. by its invoice or payment reference ' +
        '(--idempotency-key inv-2026-0142), so that running the command again cannot credit twice',
    );
  return key.trim();
}

export function registerRenters(program: Command, env: CliEnvironment, report: Report): void {
  const renters = program
    .command('renters')
    .description('manage renters: tenants that buy GPU hours (needs an admin key)')
    .addHelpText(
      'after',
      examples(
        'gantry renters create acme --spend-limit 100',
        'gantry renters top-up acme 500 --idempotency-key inv-2026-0142',
        'gantry renters list',
      ),
    );

  renters
    .command('create')
    .description('add a renter and print its API key (shown only once)')
    .argument('<name>', '1-63 lower-case letters, digits and "-", starting with a letter')
    .option(
      '--spend-limit <dollars>',
      'how far below $0 its balance may go (default 0: prepaid)',
      '0',
    )
    .addHelpText(
      'after',
      examples(
        'gantry renters create acme',
        'gantry renters create acme --spend-limit 100',
        'KEY=$(gantry renters create acme -o json | jq -r .apiKey)',
      ),
    )
    .action(
      action<{ spendLimit: string }>(report, async ({ args, options, globals }) => {
        const limit = parseDollars(options.spendLimit, '--spend-limit', { allowZero: true });
        const api = await env.connect(globals);
        const created = await api.createRenter(String(args[0]), limit);
        if (globals.output === 'json') {
          writeJson(env.stdout, {
            renter: created.renter ? Renter.toJSON(created.renter) : undefined,
            apiKey: created.apiKey,
          });
          return 0;
        }
        const name = created.renter?.name ?? String(args[0]);
        writeLine(
          env.stdout,
          `renter ${name} created: ${created.renter ? describeRenter(created.renter) : ''}\n` +
            `API key (shown only now): ${created.apiKey}\n` +
            `Use it: gantry --api-key ${created.apiKey} offers   (or export GANTRY_API_KEY=...)\n` +
            `Top it up: gantry renters top-up ${name} AMOUNT --idempotency-key REFERENCE`,
        );
        return 0;
      }),
    );

  renters
    .command('list')
    .alias('ls')
    .description('list the renters with their balances, spend limits and live leases')
    .addHelpText('after', examples('gantry renters list', 'gantry renters list -o json'))
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const list = await api.listRenters();
        if (globals.output === 'json')
          writeJson(env.stdout, { renters: list.map((r) => Renter.toJSON(r)) });
        else writeLine(env.stdout, renderRenterTable(list));
        return 0;
      }),
    );

  renters
    .command('top-up')
    .description("add prepaid credit to a renter's balance, once per idempotency key")
    .argument('<name>', 'the renter')
    .argument('<amount>', 'dollars: 500, 99.95')
    .option(
      '--idempotency-key <key>',
      'required: names this top-up (an invoice or payment reference)',
    )
    .option('--note <text>', 'shown on the statement (default: top-up)')
    .addHelpText(
      'after',
      examples(
        'gantry renters top-up acme 500 --idempotency-key inv-2026-0142',
        'gantry renters top-up acme 99.95 --idempotency-key stripe-pi_3Mtw --note "card payment"',
      ) +
        '\nThe key makes the top-up safe to retry: the same key and amount credit once (the\n' +
        'command prints the same posting); the same key with another amount or note is exit 6.\n' +
        'There is no automatic key, so running the same command line again never credits twice.\n',
    )
    .action(
      action<TopUpOptions>(report, async ({ args, options, globals }) => {
        const renter = String(args[0]);
        const amount = parseDollars(String(args[1]), 'AMOUNT');
        const idempotencyKey = topUpKey(options.idempotencyKey);
        const api = await env.connect(globals);
        const response = await api.topUp({
          renter,
          amountMicros: amount,
          idempotencyKey,
          note: options.note ?? '',
        });
        if (globals.output === 'json') writeJson(env.stdout, TopUpResponse.toJSON(response));
        else
          writeLine(
            env.stdout,
            `topped up ${renter} by ${formatMoney(amount)} (key ${idempotencyKey}, ${response.postingId}): ` +
              (response.renter ? describeRenter(response.renter) : ''),
          );
        return 0;
      }),
    );

  renters
    .command('spend-limit')
    .description('set how far below $0 a renter may spend (0: prepaid only)')
    .argument('<name>', 'the renter')
    .argument('<amount>', 'dollars, 0 or more')
    .addHelpText(
      'after',
      examples('gantry renters spend-limit acme 250', 'gantry renters spend-limit acme 0'),
    )
    .action(
      action(report, async ({ args, globals }) => {
        const limit = parseDollars(String(args[1]), 'AMOUNT', { allowZero: true });
        const api = await env.connect(globals);
        const renter = await api.setSpendLimit(String(args[0]), limit);
        if (globals.output === 'json') writeJson(env.stdout, Renter.toJSON(renter));
        else writeLine(env.stdout, `renter ${renter.name}: ${describeRenter(renter)}`);
        return 0;
      }),
    );
}
