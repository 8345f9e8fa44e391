/**
 * `gantry usage` and `gantry statement`: a renter's balance and spending, and the ledger entries
 * behind them (RentalService.GetUsage, GetStatement).
 */
import { type Command } from 'commander';
import { GetStatementResponse, GetUsageResponse } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { describePeriod, renderStatement, renderUsage } from '../format/account-view';
import { parsePeriod } from '../market/time-input';
import { action, examples, type Report } from '../program-kit';

interface PeriodOptions {
  readonly since?: string;
  readonly until?: string;
}

const PERIOD_HELP =
  '\n--since and --until take a time with its zone (2026-12-01T00:00Z), a date (2026-12-01,\n' +
  'UTC midnight) or a duration ago (24h, 7d). Without --since: from the first entry; without\n' +
  '--until: up to now. Amounts are exact (two decimals, more only for fractions of a cent);\n' +
  '-o json prints them in micro-dollars (1000000 = $1).\n';

function addPeriod(command: Command): Command {
  return command
    .option('--since <time>', 'the period starts here (default: the first entry)')
    .option('--until <time>', 'the period ends here (default: now)');
}

export function registerUsage(program: Command, env: CliEnvironment, report: Report): void {
  addPeriod(
    program
      .command('usage')
      .description('show your balance and spend limit, and the GPU-hours and charges of a period'),
  )
    .addHelpText(
      'after',
      examples(
        'gantry usage',
        'gantry usage --since 2026-12-01 --until 2026-12-08',
        'gantry usage --since 24h -o json',
      ) + PERIOD_HELP,
    )
    .action(
      action<PeriodOptions>(report, async ({ options, globals }) => {
        const period = parsePeriod(options, env.now());
        const api = await env.connect(globals);
        const usage = await api.getUsage(period);
        if (globals.output === 'json') writeJson(env.stdout, GetUsageResponse.toJSON(usage));
        else writeLine(env.stdout, renderUsage(usage, period));
        return 0;
      }),
    );

  addPeriod(
    program
      .command('statement')
      .description("list your account's ledger entries (top-ups, charges, credits) with balances"),
  )
    .option('--lease <lease-id>', "only this lease's entries")
    .addHelpText(
      'after',
      examples(
        'gantry statement --since 2026-12-01 --until 2027-01-01',
        'gantry statement --lease lease_01jf...',
        'gantry statement --since 7d -o json | jq ".lines[] | select(.kind == \\"credit\\")"',
      ) +
        PERIOD_HELP +
        'AMOUNT is signed: + money in (top-ups, credits), - money out (charges). BALANCE is the\n' +
        "account's balance after the entry. -o wide adds POSTING.\n",
    )
    .action(
      action<PeriodOptions & { lease?: string }>(report, async ({ options, globals }) => {
        const period = parsePeriod(options, env.now());
        const api = await env.connect(globals);
        const statement = await api.getStatement({ leaseId: options.lease ?? '', ...period });
        if (globals.output === 'json') {
          writeJson(env.stdout, GetStatementResponse.toJSON(statement));
          return 0;
        }
        const scope = `${options.lease ? `lease ${options.lease}, ` : ''}${describePeriod(period)}`;
        writeLine(env.stdout, renderStatement(statement, scope, globals.output === 'wide'));
        return 0;
      }),
    );
}
