import { type Command } from 'commander';
import { LeaseProduct, Offer } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderOfferTable } from '../format/offer-view';
import { parseProduct } from '../market/names';
import { action, examples, type Report } from '../program-kit';

interface OffersOptions {
  readonly gpuModel?: string;
  readonly product?: string;
}

/** `gantry offers`: the GPU capacity for sale now, with prices (renters). */
export function registerOffers(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('offers')
    .description('list the GPU capacity for sale now: product, model, GPUs, price, how long')
    .option('--gpu-model <model>', 'only this GPU model')
    .option('--product <product>', 'only this product: interruptible, on-demand or reserved')
    .addHelpText(
      'after',
      examples(
        'gantry offers',
        'gantry offers --gpu-model H100-80GB --product interruptible',
        'gantry offers -o json | jq ".offers[] | {gpuModel, gpus, priceMicrosPerGpuHour}"',
      ) +
        '\nPRICE is per GPU-hour; for interruptible it is the floor a bid must reach (>=).\n' +
        'GPUS is what is free in the fabric domain; PER-NODE the most one lease gets on a node.\n' +
        'FROM/FOR: when the capacity is free and for how long it is forecast to stay free\n' +
        '(reserved: the window). -o wide adds UNTIL. Prices in -o json are micro-dollars.\n' +
        'An "interruptible (outbid)" line is the GPUs other interruptible leases hold: a bid of at\n' +
        'least its PRICE displaces them and starts after their notice (quote --bid says more).\n',
    )
    .action(
      action<OffersOptions>(report, async ({ options, globals }) => {
        const product =
          options.product === undefined
            ? LeaseProduct.LEASE_PRODUCT_UNSPECIFIED
            : parseProduct(options.product);
        const api = await env.connect(globals);
        const offers = await api.listOffers({ gpuModel: options.gpuModel ?? '', product });
        if (globals.output === 'json')
          writeJson(env.stdout, { offers: offers.map((o) => Offer.toJSON(o)) });
        else if (offers.length === 0)
          writeLine(
            env.stdout,
            options.gpuModel || options.product ? 'no offers match now' : 'no GPUs for sale now',
          );
        else writeLine(env.stdout, renderOfferTable(offers, env.now(), globals.output === 'wide'));
        return 0;
      }),
    );
}
