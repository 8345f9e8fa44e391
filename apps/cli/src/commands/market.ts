/**
 * `gantry market history` (admins): where the GPUs went over a period, internal, rented or
 * idle, from the samples the lease controller records each minute (AdminService.GetMarketHistory).
 */
import { type Command } from 'commander';
import { MarketSample } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderHistorySparklines, renderHistoryTable } from '../format/market-history-view';
import { parsePeriod } from '../market/time-input';
import { action, examples, type Report } from '../program-kit';

export function registerMarket(program: Command, env: CliEnvironment, report: Report): void {
  const market = program
    .command('market')
    .description(
      "the GPU market's history: utilization, revenue, queue pressure (needs an admin key)",
    )
    .addHelpText('after', examples('gantry market history', 'gantry market history --since 7d'));

  market
    .command('history')
    .description('show how the GPUs were used over a period: internal, rented, idle')
    .option('--since <time>', 'from this time: 2026-12-05T00:00Z, 2026-12-05, or 24h ago', '24h')
    .option('--until <time>', 'up to this time (default: now)')
    .addHelpText(
      'after',
      examples(
        'gantry market history',
        'gantry market history --since 7d',
        'gantry market history --since 2026-12-05T08:00Z --until 2026-12-05T20:00Z -o wide',
      ) +
        '\nThree sparklines show the share of GPUs that were internal, rented and idle, on one\n' +
        '0-100% scale (each column averages the samples it covers), then the figures now and the\n' +
        'revenue of the period. -o wide lists every sample; -o json prints them (micro-dollars).\n',
    )
    .action(
      action<{ since: string; until?: string }>(report, async ({ options, globals }) => {
        const period = parsePeriod(options, env.now());
        const api = await env.connect(globals);
        const samples = await api.getMarketHistory(period);
        if (globals.output === 'json')
          writeJson(env.stdout, { samples: samples.map((s) => MarketSample.toJSON(s)) });
        else if (globals.output === 'wide') writeLine(env.stdout, renderHistoryTable(samples));
        else {
          const width = Math.max(10, Math.min(60, (env.stdout.columns || 100) - 50));
          writeLine(env.stdout, renderHistorySparklines(samples, width));
        }
        return 0;
      }),
    );
}
