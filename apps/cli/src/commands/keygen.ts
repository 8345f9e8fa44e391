import { type Command } from 'commander';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { action, examples, type Report } from '../program-kit';
import { generateClusterSecrets, secretsEnvLines } from '../up/cluster-secrets';

export function registerKeygen(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('keygen')
    .description(
      'print a fresh admin API key and agent bootstrap token as env-file lines (for operators)',
    )
    .addHelpText(
      'after',
      examples(
        'gantry keygen > gantry.env && chmod 600 gantry.env',
        'gantry keygen -o json | jq -r .adminApiKey',
      ),
    )
    .action(
      action(report, async ({ globals }) => {
        const secrets = generateClusterSecrets();
        if (globals.output === 'json') {
          writeJson(env.stdout, secrets);
        } else {
          writeLine(
            env.stdout,
            `# Gantry credentials from \`gantry keygen\` (${new Date(env.now()).toISOString()}).\n` +
              '# Keep them secret: the first is the admin API key, the second lets node agents join.\n' +
              secretsEnvLines(secrets),
          );
        }
        return 0;
      }),
    );
}
