import { Command, Option } from 'commander';
import { type CliEnvironment } from './cli-environment';
import { registerCancel } from './commands/cancel';
import { registerCheckpoint } from './commands/checkpoint';
import { registerClasses } from './commands/classes';
import { registerFiles } from './commands/files';
import { registerGet } from './commands/get';
import { registerKeygen } from './commands/keygen';
import { registerKeys } from './commands/keys';
import { registerLease } from './commands/lease';
import { registerList } from './commands/list';
import { registerMarket } from './commands/market';
import { registerNodes } from './commands/nodes';
import { registerOffers } from './commands/offers';
import { registerPrices } from './commands/prices';
import { registerQueues } from './commands/queues';
import { registerQuote } from './commands/quote';
import { registerRenters } from './commands/renters';
import { registerResults } from './commands/results';
import { registerSimulate } from './commands/simulate';
import { registerSubmit } from './commands/submit';
import { registerTenants } from './commands/tenants';
import { registerUp } from './commands/up';
import { registerUsage } from './commands/usage';
import { registerWatch } from './commands/watch';
import { EXIT_CODES_HELP } from './errors/exit-codes';
import { examples, type Report } from './program-kit';

export const GANTRY_VERSION = '0.1.0';

const ENVIRONMENT_HELP = `Environment:
  GANTRY_ENDPOINT  control plane host:port (below --endpoint, above the context)
  GANTRY_API_KEY   API key (below --api-key, above the context)
  GANTRY_HOME      where the context lives (default ~/.gantry; context.json)
  REDIS_URL        gantry up: use this Redis instead of starting one`;

/** The `gantry` command tree. Commands report their exit code through `report`. */
export function buildProgram(env: CliEnvironment, report: Report): Command {
  const program = new Command('gantry')
    .description('Gantry: run GPU jobs on a cluster, or a whole cluster on this machine.')
    .version(GANTRY_VERSION, '-V, --version')
    .option(
      '--endpoint <host:port>',
      'the control plane (default: GANTRY_ENDPOINT, then the context)',
    )
    .option('--api-key <key>', 'your API key (default: GANTRY_API_KEY, then the context)')
    .addOption(
      new Option(
        '-o, --output <format>',
        'table for people, json for scripts, wide for more columns',
      )
        .choices(['table', 'json', 'wide'])
        .default('table'),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => env.stdout.write(text),
      writeErr: (text) => env.stderr.write(text),
      outputError: (text, write) => write(`gantry: ${text}`),
    })
    .addHelpText(
      'after',
      examples(
        'gantry up --demo                      # a local cluster, a demo workload, a summary',
        'gantry up                             # a local cluster until Ctrl-C; then, elsewhere:',
        'gantry submit --gpus 2 -- python train.py',
        'gantry list --state active',
        'gantry watch job_01jd8zq3m2x7',
        'gantry submit -f batch.yaml                 # batch inference, reasoning or RL from a spec',
        'gantry results job_01jd8zq3m2x7              # its answers, figures and files',
        'gantry offers                                # renters: GPU hours for sale now',
        'gantry lease create --product on-demand --gpus 8 --gpu-model H100-80GB --duration 2h',
      ) +
        '\nEndpoint and key come from --endpoint/--api-key, else GANTRY_ENDPOINT/GANTRY_API_KEY,\n' +
        'else the context `gantry up` writes (its key is only sent to its own endpoint).\n\n' +
        `${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}\n`,
    );
  for (const register of [
    registerUp,
    registerSubmit,
    registerGet,
    registerList,
    registerWatch,
    registerCancel,
    registerCheckpoint,
    registerResults,
    registerFiles,
    registerOffers,
    registerQuote,
    registerLease,
    registerUsage,
    registerNodes,
    registerQueues,
    registerClasses,
    registerTenants,
    registerKeys,
    registerRenters,
    registerPrices,
    registerMarket,
    registerKeygen,
    registerSimulate,
  ])
    register(program, env, report);
  return program;
}
