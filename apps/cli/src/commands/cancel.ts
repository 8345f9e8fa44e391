import { type Command } from 'commander';
import { Job } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { jobStateName } from '../format/states';
import { action, examples, type Report } from '../program-kit';

interface CancelOptions {
  readonly reason?: string;
}

export function registerCancel(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('cancel')
    .description(
      'cancel a job: a pending one at once, a running one through its agent (SIGTERM, then SIGKILL)',
    )
    .argument('<job-id>', 'the job to cancel')
    .option('--reason <text>', 'why, recorded in the job history')
    .addHelpText(
      'after',
      examples(
        'gantry cancel job_01jd8zq3m2x7',
        'gantry cancel job_01jd8zq3m2x7 --reason "wrong dataset"',
      ) + '\nCancelling a job that already ended changes nothing and prints its final state.\n',
    )
    .action(
      action<CancelOptions>(report, async ({ args, options, globals }) => {
        const api = await env.connect(globals);
        const job = await api.cancelJob(String(args[0]), options.reason ?? '');
        if (globals.output === 'json') writeJson(env.stdout, Job.toJSON(job));
        else writeLine(env.stdout, `${job.id} ${jobStateName(job.state)}`);
        return 0;
      }),
    );
}
