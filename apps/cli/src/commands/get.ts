import { type Command } from 'commander';
import { Job } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderJobDetails } from '../format/job-details';
import { renderJobTable } from '../format/job-view';
import { action, examples, type Report } from '../program-kit';

export function registerGet(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('get')
    .description(
      'show one job: state and reason, class, array, dependencies, preemptions, checkpoint, attempts',
    )
    .argument('<job-id>', 'the job, e.g. job_01jd8z...')
    .addHelpText(
      'after',
      examples(
        'gantry get job_01jd8zq3m2x7',
        'gantry get job_01jd8zq3m2x7 -o json | jq -r .state    # JOB_STATE_RUNNING',
        'gantry get job_01jd8zq3m2x7 -o wide                   # one table row with more columns',
        'gantry get job_01jd8zq3m2x7 -o json | jq .preemptions  # how often it was preempted',
      ) +
        '\n-o json prints the job as protobuf JSON (camelCase fields, enum names: "state":\n' +
        '"JOB_STATE_RUNNING"; fields with default values are left out).\n',
    )
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        const job = await api.getJob(String(args[0]));
        if (globals.output === 'json') writeJson(env.stdout, Job.toJSON(job));
        else if (globals.output === 'wide')
          writeLine(env.stdout, renderJobTable([job], env.now(), true));
        else writeLine(env.stdout, renderJobDetails(job, env.now()));
        return 0;
      }),
    );
}
