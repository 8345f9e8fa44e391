import { type Command } from 'commander';
import { Job } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { action, examples, type Report } from '../program-kit';

interface CheckpointOptions {
  readonly message?: string;
}

/** `<job id> checkpoint recorded at <time>`: what `gantry checkpoint` prints for people. */
export function checkpointLine(job: Job): string {
  const at = job.lastCheckpointTime?.toISOString();
  return `${job.id} checkpoint recorded${at ? ` at ${at}` : ''}`;
}

export function registerCheckpoint(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('checkpoint')
    .description(
      'record that a running job saved its state: preemption prefers jobs that lose the least work',
    )
    .argument('<job-id>', 'the running job')
    .option('--message <text>', 'what was saved, for people (up to 1,024 characters)')
    .addHelpText(
      'after',
      examples(
        'gantry checkpoint job_01jd8zq3m2x7',
        'gantry checkpoint "$GANTRY_JOB_ID" --message "step 5000 saved to s3://ckpt/run7"',
        'gantry checkpoint job_01jd8zq3m2x7 -o json | jq -r .lastCheckpointTime',
      ) +
        '\nA job can also print `GANTRY_CHECKPOINT <message>` on stdout; its agent reports it.\n' +
        'When a job is preempted it goes back to pending; the work after its last checkpoint\n' +
        'is lost. Only a running job can record a checkpoint (otherwise exit 6).\n',
    )
    .action(
      action<CheckpointOptions>(report, async ({ args, options, globals }) => {
        const api = await env.connect(globals);
        const job = await api.recordCheckpoint(String(args[0]), options.message ?? '');
        if (globals.output === 'json') writeJson(env.stdout, Job.toJSON(job));
        else writeLine(env.stdout, checkpointLine(job));
        return 0;
      }),
    );
}
