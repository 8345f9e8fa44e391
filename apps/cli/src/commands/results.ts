import { type Command } from 'commander';
import { type Job, JobResult, jobStateToJSON } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { ExitCode } from '../errors/exit-codes';
import { renderResults } from '../format/results-view';
import { isTerminalState, jobStateName } from '../format/states';
import { action, examples, type Report } from '../program-kit';
import { resultFiles, saveResultFiles, type SavedFile } from '../results/result-files';
import { outcomeExitCode } from '../watch/job-view-state';

interface ResultsOptions {
  readonly dir: string;
  /** false with --no-download. */
  readonly download: boolean;
}

/** Refuses a job whose kind has no results, saying which job has them when there is one. */
function requireResultKind(job: Job): void {
  const workload = job.spec?.workload;
  if (
    job.result ||
    ['inferenceBatch', 'inferenceReasoning', 'rlSynthetic'].includes(workload?.$case ?? '')
  )
    return;
  if (workload?.$case === 'shard')
    throw new UsageError(
      `${job.id} is a shard of ${workload.shard.parentJobId}; its results are the whole job's: ` +
        `gantry results ${workload.shard.parentJobId}`,
    );
  const what = workload?.$case === 'simulated' ? 'is simulated work' : 'runs a command';
  throw new UsageError(
    `${job.id} ${what}, which has no results: results are for inference_batch, ` +
      `inference_reasoning and rl_synthetic jobs (its output: gantry watch ${job.id})`,
  );
}

export function registerResults(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('results')
    .description(
      "show a batch, reasoning or RL job's results and save its files (outputs, errors, dataset)",
    )
    .argument('<job-id>', 'an inference_batch, inference_reasoning or rl_synthetic job')
    .option('-d, --dir <dir>', 'where to save the files (created if missing)', '.')
    .option('--no-download', 'show the results without saving any file')
    .addHelpText(
      'after',
      examples(
        'gantry results job_01jd8zq3m2x7                 # ./job_....output.jsonl and .errors.jsonl',
        'gantry results job_01jd8zq3m2x7 -d results/     # saved under results/',
        'gantry results job_01jd8zq3m2x7 --no-download   # the figures only',
        'gantry results job_01jd8zq3m2x7 -o json | jq .result.reasoning.answer',
      ) +
        '\nA batch job: its status, request counts, and the output and error files\n' +
        '(<job id>.output.jsonl, <job id>.errors.jsonl). An RL job: problems, samples, acceptance\n' +
        'rate, pass@1, pass@k, kept traces, and the dataset (<job id>.dataset.jsonl). A reasoning\n' +
        'job: the answer, whether a verifier accepted it, calls made and saved, one line per step.\n' +
        'Exit code: 0 when the job succeeded, 10 failed (what it produced is still saved: an\n' +
        'expired batch keeps its answers), 11 cancelled, 12 not ended yet (nothing is saved),\n' +
        '2 for a job of another kind.\n',
    )
    .action(
      action<ResultsOptions>(report, async ({ args, options, globals }) => {
        const api = await env.connect(globals);
        const job = await api.getJob(String(args[0]));
        requireResultKind(job);
        const ended = isTerminalState(job.state);
        const saved: SavedFile[] =
          ended && options.download
            ? await saveResultFiles(api, resultFiles(job), options.dir, env)
            : [];
        if (globals.output === 'json')
          writeJson(env.stdout, {
            jobId: job.id,
            state: jobStateToJSON(job.state),
            ...(job.result ? { result: JobResult.toJSON(job.result) } : {}),
            files: saved.map(({ role, fileId, path, bytes, lines }) => ({
              role,
              fileId,
              path,
              bytes,
              lines,
            })),
          });
        else writeLine(env.stdout, renderResults(job, saved));
        if (ended) return outcomeExitCode(job.state);
        env.stderr.write(
          `gantry: ${job.id} is ${jobStateName(job.state)}: its results are complete once it ` +
            `ends (gantry watch ${job.id})\n`,
        );
        return ExitCode.NoResultsYet;
      }),
    );
}
