import { type Command } from 'commander';
import { Tenant } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderTable } from '../format/table';
import { action, examples, type Report } from '../program-kit';

export function registerTenants(program: Command, env: CliEnvironment, report: Report): void {
  const tenants = program
    .command('tenants')
    .description('manage tenants (needs an admin key)')
    .addHelpText('after', examples('gantry tenants create vision-team', 'gantry tenants list'));

  tenants
    .command('create')
    .description('add a tenant and print its first API key (shown only once)')
    .argument('<name>', '1-63 lower-case letters, digits and "-", starting with a letter')
    .addHelpText(
      'after',
      examples(
        'gantry tenants create vision-team',
        'KEY=$(gantry tenants create vision-team -o json | jq -r .apiKey)',
      ),
    )
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        const created = await api.createTenant(String(args[0]));
        if (globals.output === 'json') {
          writeJson(env.stdout, {
            tenant: created.tenant ? Tenant.toJSON(created.tenant) : undefined,
            apiKey: created.apiKey,
          });
        } else {
          writeLine(
            env.stdout,
            `tenant ${created.tenant?.name ?? String(args[0])} created (${created.tenant?.id ?? ''})\n` +
              `API key (shown only now): ${created.apiKey}\n` +
              `Use it: gantry --api-key ${created.apiKey} list   (or export GANTRY_API_KEY=...)`,
          );
        }
        return 0;
      }),
    );

  tenants
    .command('list')
    .alias('ls')
    .description('list every tenant')
    .addHelpText('after', examples('gantry tenants list', 'gantry tenants list -o json'))
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const list = await api.listTenants();
        if (globals.output === 'json') {
          writeJson(env.stdout, { tenants: list.map((t) => Tenant.toJSON(t)) });
          return 0;
        }
        writeLine(
          env.stdout,
          renderTable<Tenant>(
            [
              { header: 'NAME', value: (t) => t.name },
              { header: 'ID', value: (t) => t.id },
              { header: 'ADMIN', value: (t) => (t.admin ? 'yes' : 'no') },
              { header: 'CREATED', value: (t) => t.createTime?.toISOString() ?? '' },
            ],
            list,
          ),
        );
        return 0;
      }),
    );
}
