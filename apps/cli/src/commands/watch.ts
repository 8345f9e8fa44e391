import { type Command } from 'commander';
import { type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { action, examples, type Report } from '../program-kit';
import { rendererFor, watchToEnd } from '../watch/watch-job';

interface WatchOptions {
  readonly fromSequence: string;
}

function parseSequence(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--from-sequence: must be a whole number, 0 or more (got '${text}')`);
  return n;
}

export function registerWatch(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('watch')
    .description(
      "follow a job's state changes, progress and log lines until it ends (resumes after a dropped connection)",
    )
    .argument('<job-id>', 'the job to follow')
    .option('--from-sequence <n>', 'start at this event number (0: the whole history)', '0')
    .addHelpText(
      'after',
      examples(
        'gantry watch job_01jd8zq3m2x7',
        'gantry watch job_01jd8zq3m2x7 --from-sequence 120 > job.log',
        'gantry watch job_01jd8zq3m2x7 -o json | jq -c .progress',
      ) +
        '\nOn a terminal it shows a live view (state, progress bar, last log lines); otherwise one\n' +
        'line per event, or with -o json one protobuf-JSON event per line.\n' +
        'Exit code: 0 when the job succeeded, 10 when it failed, 11 when it was cancelled.\n',
    )
    .action(
      action<WatchOptions>(report, async ({ args, options, globals }) => {
        const fromSequence = parseSequence(options.fromSequence);
        const api = await env.connect(globals);
        return watchToEnd(
          env,
          api,
          String(args[0]),
          fromSequence,
          rendererFor(env, globals.output),
        );
      }),
    );
}
