import { type Command } from 'commander';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { action, examples, type Report } from '../program-kit';

export function registerKeys(program: Command, env: CliEnvironment, report: Report): void {
  const keys = program.command('keys').description('manage API keys (needs an admin key)');
  keys
    .command('create')
    .description('add an API key to a tenant and print it (shown only once)')
    .argument('<tenant>', "the tenant's name")
    .addHelpText(
      'after',
      examples(
        'gantry keys create vision-team',
        'gantry keys create vision-team -o json | jq -r .apiKey',
      ),
    )
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        const apiKey = await api.createApiKey(String(args[0]));
        if (globals.output === 'json') writeJson(env.stdout, { tenant: args[0], apiKey });
        else writeLine(env.stdout, apiKey);
        return 0;
      }),
    );
}
