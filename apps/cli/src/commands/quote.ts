import { type Command } from 'commander';
import { QuoteResponse } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderQuote } from '../format/offer-view';
import { leaseRequestFromFlags, type LeaseFlags } from '../market/lease-request';
import { action, examples, type Report } from '../program-kit';
import { addLeaseFlags, LEASE_FLAGS_HELP } from './lease-flags';

/** `gantry quote`: what a lease would cost, without buying it (renters). */
export function registerQuote(program: Command, env: CliEnvironment, report: Report): void {
  addLeaseFlags(
    program
      .command('quote')
      .description('price a lease without buying it, and say how the price was derived'),
  )
    .addHelpText(
      'after',
      examples(
        'gantry quote --product on-demand --gpus 8 --gpu-model H100-80GB --duration 2h',
        'gantry quote --product interruptible --gpus 4 --gpu-model H100-80GB --duration 6h --bid 1.20',
        'gantry quote --product interruptible --gpus 4 --gpu-model H100-80GB --duration 6h  # the floor',
        'gantry quote --product reserved --gpus 8 --nodes 2 --gpu-model H100-80GB --duration 8h \\',
        '    --window-start 2026-12-06T10:00Z',
      ) +
        LEASE_FLAGS_HELP +
        'An interruptible quote without --bid prices the floor. -o json prints the QuoteResponse\n' +
        '(micro-dollars).\n',
    )
    .action(
      action<LeaseFlags>(report, async ({ options, globals }) => {
        const request = leaseRequestFromFlags(options, env.now(), { bidRequired: false });
        const api = await env.connect(globals);
        const quote = await api.quote(request);
        if (globals.output === 'json') writeJson(env.stdout, QuoteResponse.toJSON(quote));
        else writeLine(env.stdout, renderQuote(request, quote));
        return 0;
      }),
    );
}
