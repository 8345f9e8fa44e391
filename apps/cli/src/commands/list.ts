import { type Command } from 'commander';
import { UsageError } from '../errors/cli-errors';
import { Job, type JobState } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { renderJobTable } from '../format/job-view';
import { parseStates } from '../format/states';
import { action, collect, examples, type Report } from '../program-kit';

interface ListOptions {
  readonly state?: string[];
  readonly queue?: string;
  readonly limit: string;
  readonly allPages?: boolean;
}

export interface JobPage {
  readonly jobs: Job[];
  readonly nextPageToken: string;
}

/** One page of `limit` jobs, or every page when `allPages`. Newest first, as the server sends. */
export async function fetchJobs(
  api: Pick<GantryApi, 'listJobs'>,
  filter: { states: JobState[]; queue: string },
  limit: number,
  allPages: boolean,
): Promise<JobPage> {
  const jobs: Job[] = [];
  let pageToken = '';
  do {
    const page = await api.listJobs({ ...filter, pageSize: limit, pageToken });
    jobs.push(...page.jobs);
    pageToken = page.nextPageToken;
  } while (allPages && pageToken !== '');
  return { jobs, nextPageToken: pageToken };
}

/** `--limit`: a page size, 1-1000. */
export function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError(`--limit: must be a whole number from 1 to 1000 (got '${text}')`);
  return limit;
}

export function registerList(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('list')
    .alias('ls')
    .description('list your jobs, newest first, with why each waits (REASON), like squeue')
    .option(
      '--state <state>',
      'only jobs in this state (repeatable, or comma-separated; "active" = not ended)',
      collect,
    )
    .option('--queue <queue>', 'only jobs of this queue')
    .option('--limit <n>', 'jobs per page, 1-1000', '100')
    .option('--all-pages', 'fetch every page, not only the first')
    .addHelpText(
      'after',
      examples(
        'gantry list',
        'gantry list --state pending --state running',
        'gantry list --state active --queue rl -o wide',
        'gantry list --all-pages -o json | jq -r ".jobs[].id"',
      ) +
        '\nStates: pending, scheduled, running, cancelling, succeeded, failed, cancelled.\n' +
        'REASON of a pending job: Submitted, WaitingForResources, WaitingForQuota, Reserved,\n' +
        'WaitingForGang, Preempting, Preempted, WaitingForDependencies, Requeued,\n' +
        'Unschedulable (gantry get JOB_ID says more). -o wide adds CLASS, PRIORITY, ATTEMPT,\n' +
        'PROGRESS, EXIT and MESSAGE.\n',
    )
    .action(
      action<ListOptions>(report, async ({ options, globals }) => {
        const states = parseStates(options.state ?? []);
        const limit = parseLimit(options.limit);
        const api = await env.connect(globals);
        const page = await fetchJobs(
          api,
          { states, queue: options.queue ?? '' },
          limit,
          options.allPages === true,
        );
        if (globals.output === 'json') {
          writeJson(env.stdout, {
            jobs: page.jobs.map((job) => Job.toJSON(job)),
            ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
          });
          return 0;
        }
        writeLine(env.stdout, renderJobTable(page.jobs, env.now(), globals.output === 'wide'));
        if (page.nextPageToken)
          env.stderr.write(`(more jobs: raise --limit or pass --all-pages)\n`);
        return 0;
      }),
    );
}
