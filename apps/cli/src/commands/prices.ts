/**
 * `gantry prices list|set` (admins): the bounds each product's price moves in per GPU model,
 * and the price now (AdminService.ListPriceBounds, PutPriceBounds).
 */
import { type Command } from 'commander';
import { PriceBounds } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { describePrice, renderPriceTable } from '../format/renter-view';
import { formatMoney, parseDollars } from '../market/dollars';
import { parseProduct } from '../market/names';
import { action, examples, type Report } from '../program-kit';

interface SetOptions {
  readonly gpuModel: string;
  readonly product: string;
  readonly base: string;
  readonly min: string;
  readonly max: string;
}

/** Reads the three bounds and checks min <= base <= max, naming the flag that is off. */
export function boundsFromFlags(options: SetOptions): PriceBounds {
  const base = parseDollars(options.base, '--base');
  const min = parseDollars(options.min, '--min');
  const max = parseDollars(options.max, '--max');
  if (min > max)
    throw new UsageError(
      `--min: must be at most --max (${formatMoney(min)} > ${formatMoney(max)})`,
    );
  if (base < min || base > max)
    throw new UsageError(
      `--base: must be between --min and --max (${formatMoney(base)} is outside ` +
        `${formatMoney(min)}-${formatMoney(max)})`,
    );
  return {
    gpuModel: options.gpuModel,
    product: parseProduct(options.product),
    baseMicrosPerGpuHour: base,
    minMicrosPerGpuHour: min,
    maxMicrosPerGpuHour: max,
    currentMicrosPerGpuHour: 0,
  };
}

export function registerPrices(program: Command, env: CliEnvironment, report: Report): void {
  const prices = program
    .command('prices')
    .description('show and set the price bounds of the GPU market (needs an admin key)')
    .addHelpText(
      'after',
      examples(
        'gantry prices list',
        'gantry prices set --gpu-model H100-80GB --product on-demand --base 2.50 --min 1.50 --max 6.00',
      ),
    );

  prices
    .command('list')
    .alias('ls')
    .description('list the price bounds per GPU model and product, with the price now')
    .addHelpText(
      'after',
      examples('gantry prices list', 'gantry prices list -o json') +
        '\nNOW is the price a lease bought now pays (interruptible: the floor a bid must reach).\n',
    )
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const list = await api.listPriceBounds();
        if (globals.output === 'json')
          writeJson(env.stdout, { bounds: list.map((b) => PriceBounds.toJSON(b)) });
        else writeLine(env.stdout, renderPriceTable(list));
        return 0;
      }),
    );

  prices
    .command('set')
    .description("set a product's price bounds on a GPU model (replaces the old ones)")
    .requiredOption('--gpu-model <model>', 'the GPU model, e.g. H100-80GB')
    .requiredOption('--product <product>', 'interruptible, on-demand or reserved')
    .requiredOption('--base <dollars>', 'the price per GPU-hour with no internal demand')
    .requiredOption('--min <dollars>', 'the lowest it may go')
    .requiredOption('--max <dollars>', 'the highest it may go')
    .addHelpText(
      'after',
      examples(
        'gantry prices set --gpu-model H100-80GB --product on-demand --base 2.50 --min 1.50 --max 6.00',
        'gantry prices set --gpu-model H100-80GB --product interruptible --base 1.00 --min 0.60 --max 3.00',
      ) +
        '\nThe price follows internal demand inside the bounds:\n' +
        '  price = clamp(min, max, base x (1 + a x queue pressure + b x utilization))\n' +
        'For interruptible it is the floor bids must reach. Dollars per GPU-hour, at most 6 decimals.\n',
    )
    .action(
      action<SetOptions>(report, async ({ options, globals }) => {
        const bounds = boundsFromFlags(options);
        const api = await env.connect(globals);
        const saved = await api.putPriceBounds(bounds);
        if (globals.output === 'json') writeJson(env.stdout, PriceBounds.toJSON(saved));
        else writeLine(env.stdout, describePrice(saved));
        return 0;
      }),
    );
}
