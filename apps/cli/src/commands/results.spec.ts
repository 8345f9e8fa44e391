import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandWorkload,
  InferenceBatchWorkload,
  Job,
  JobState,
  ReasoningWorkload,
  RlSyntheticWorkload,
  ShardWorkload,
  type JobResult,
  type JobSpec,
} from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { startApiDouble } from '../testing/api-double';
import { fakeEnvironment } from '../testing/fake-environment';

const OUTPUT = '{"custom_id":"a-1"}\n{"custom_id":"a-2"}\n';
const ERRORS = '{"custom_id":"a-3","error":{"code":"engine_error"}}\n';
const DATASET = '{"problem_id":"p1"}\n{"problem_id":"p1"}\n{"problem_id":"p2"}\n';

function aJob(
  id: string,
  state: JobState,
  workload: JobSpec['workload'],
  result?: JobResult,
  extra: Partial<Job> = {},
): Job {
  const job = Job.fromPartial({ id, state, spec: { name: id } });
  return { ...job, spec: { ...job.spec!, workload }, result, ...extra };
}

const batchWorkload = {
  $case: 'inferenceBatch' as const,
  inferenceBatch: InferenceBatchWorkload.fromPartial({
    model: 'm',
    inputFileId: 'file_in',
    endpoint: '/v1/completions',
  }),
};

const batch = (
  id: string,
  state: JobState,
  status: string,
  files: boolean,
  extra: Partial<Job> = {},
) =>
  aJob(
    id,
    state,
    batchWorkload,
    {
      kind: {
        $case: 'batch',
        batch: {
          status,
          requestCounts: { total: 3, completed: 2, failed: 1 },
          outputFileId: files ? 'file_out' : '',
          errorFileId: files ? 'file_err' : '',
          errors: [],
        },
      },
    },
    extra,
  );

const JOBS: Job[] = [
  batch('job_b', JobState.JOB_STATE_SUCCEEDED, 'completed', true),
  batch('job_x', JobState.JOB_STATE_FAILED, 'expired', true, {
    reason: 'Expired',
    message: 'the completion window of 24h ended',
  }),
  batch('job_run', JobState.JOB_STATE_RUNNING, 'in_progress', false),
  aJob(
    'job_rl',
    JobState.JOB_STATE_SUCCEEDED,
    {
      $case: 'rlSynthetic',
      rlSynthetic: RlSyntheticWorkload.fromPartial({ policyModel: 'm', problemsFileId: 'file_p' }),
    },
    {
      kind: {
        $case: 'rlSynthetic',
        rlSynthetic: {
          status: 'completed',
          problems: 2,
          samples: 16,
          accepted: 9,
          acceptanceRate: 0.5625,
          passAt1: 0.5625,
          passAtK: 1,
          k: 8,
          groupsAllPassed: 0,
          groupsNonePassed: 0,
          kept: 3,
          datasetFileId: 'file_ds',
          errors: [],
        },
      },
    },
  ),
  aJob(
    'job_r',
    JobState.JOB_STATE_SUCCEEDED,
    {
      $case: 'inferenceReasoning',
      inferenceReasoning: ReasoningWorkload.fromPartial({ model: 'm', output: 'final' }),
    },
    {
      kind: {
        $case: 'reasoning',
        reasoning: {
          answer: '391',
          accepted: true,
          stoppedEarly: true,
          callsMade: 9,
          callsSavedCache: 1,
          callsSavedInflight: 4,
          tokens: 5120,
          stopReason: '',
          steps: [
            { id: 'draft', items: 8, calls: 8, answer: '', accepted: 0, ran: true },
            { id: 'check', items: 8, calls: 0, answer: '', accepted: 3, ran: true },
            { id: 'final', items: 0, calls: 0, answer: '', accepted: 0, ran: false },
          ],
        },
      },
    },
  ),
  aJob('job_rc', JobState.JOB_STATE_CANCELLED, {
    $case: 'inferenceReasoning',
    inferenceReasoning: ReasoningWorkload.fromPartial({ model: 'm' }),
  }),
  aJob('job_cmd', JobState.JOB_STATE_SUCCEEDED, {
    $case: 'command',
    command: CommandWorkload.fromPartial({ argv: ['true'] }),
  }),
  aJob('job_s1', JobState.JOB_STATE_RUNNING, {
    $case: 'shard',
    shard: ShardWorkload.fromPartial({ parentJobId: 'job_b', index: 0, count: 2 }),
  }),
];

let dir: string;
let double: Awaited<ReturnType<typeof startApiDouble>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-results-'));
  double = await startApiDouble({ jobs: JOBS });
  double.addFile('file_out', 'job_b.output.jsonl', OUTPUT, 'job_b');
  double.addFile('file_err', 'job_b.errors.jsonl', ERRORS, 'job_b');
  double.addFile('file_ds', 'job_rl.dataset.jsonl', DATASET, 'job_rl');
});

afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function results(args: string[], stderrTty = false) {
  const env = fakeEnvironment(double.api, { cwd: dir, stderrTty });
  const code = await runCli(['results', ...args], env.env);
  return { code, stdout: env.stdout.text, stderr: env.stderr.text };
}

describe('gantry results', () => {
  it("saves a batch job's output and error files and prints its status and counts", async () => {
    const { code, stdout, stderr } = await results(['job_b', '-d', 'out']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'job_b succeeded (inference_batch)',
        'Status:    completed',
        'Requests:  3 total, 2 completed, 1 failed',
        'Output:    out/job_b.output.jsonl (2 lines, 40 B)',
        'Errors:    out/job_b.errors.jsonl (1 line, 52 B)',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'out', 'job_b.output.jsonl'), 'utf8')).toBe(OUTPUT);
    expect(await readFile(join(dir, 'out', 'job_b.errors.jsonl'), 'utf8')).toBe(ERRORS);
  });

  it('saves what an expired batch answered, and exits 10 as the job failed', async () => {
    const { code, stdout } = await results(['job_x']);
    expect(code).toBe(ExitCode.JobFailed);
    expect(stdout.split('\n')[0]).toBe(
      'job_x failed (inference_batch, Expired: the completion window of 24h ended)',
    );
    expect(stdout).toContain('Status:    expired\n');
    expect((await readdir(dir)).sort()).toEqual(['job_x.errors.jsonl', 'job_x.output.jsonl']);
  });

  it("saves an RL job's dataset and prints its figures", async () => {
    const { code, stdout } = await results(['job_rl']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'job_rl succeeded (rl_synthetic)',
        'Status:          completed',
        'Problems:        2',
        'Samples:         16 (8 per problem)',
        'Accepted:        9 (56.3%)',
        'pass@1:          0.563',
        'pass@8:          1.000',
        'Groups dropped:  0 all passed, 0 none passed',
        'Kept:            3',
        'Dataset:         job_rl.dataset.jsonl (3 lines, 60 B)',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'job_rl.dataset.jsonl'), 'utf8')).toBe(DATASET);
  });

  it("prints a reasoning job's answer, verdict, calls saved and steps", async () => {
    const { code, stdout } = await results(['job_r']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'job_r succeeded (inference_reasoning)',
        'Answer:         391',
        'Accepted:       yes, a verifier accepted it',
        'Stopped early:  yes',
        'Calls:          9 made, 5 saved (1 from the cache, 4 in flight)',
        'Tokens:         5,120',
        '',
        'Steps:',
        '  STEP   ITEMS  CALLS  ACCEPTED  RAN           ANSWER',
        '  draft      8      8         -  yes           -',
        '  check      8      0         3  yes           -',
        '  final      0      0         -  no (skipped)  -',
        '',
      ].join('\n'),
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('prints the result as protobuf JSON with the saved files for scripts', async () => {
    const { stdout } = await results(['job_b', '-o', 'json']);
    expect(JSON.parse(stdout)).toEqual({
      jobId: 'job_b',
      state: 'JOB_STATE_SUCCEEDED',
      result: {
        batch: {
          status: 'completed',
          requestCounts: { total: 3, completed: 2, failed: 1 },
          outputFileId: 'file_out',
          errorFileId: 'file_err',
        },
      },
      files: [
        { role: 'output', fileId: 'file_out', path: 'job_b.output.jsonl', bytes: 40, lines: 2 },
        { role: 'errors', fileId: 'file_err', path: 'job_b.errors.jsonl', bytes: 52, lines: 1 },
      ],
    });
  });

  it('saves nothing with --no-download', async () => {
    const { stdout } = await results(['job_b', '--no-download']);
    expect(stdout).toContain('Output:    file_out\n');
    expect(await readdir(dir)).toEqual([]);
  });

  it('shows download progress on a terminal', async () => {
    const { stderr } = await results(['job_b'], true);
    expect(stderr).toContain('downloading job_b.output.jsonl [');
    expect(stderr).toContain('downloading job_b.errors.jsonl [');
  });

  it('exits 12 for a job that has not ended, showing its progress and saving nothing', async () => {
    const { code, stdout, stderr } = await results(['job_run']);
    expect(code).toBe(ExitCode.NoResultsYet);
    expect(stdout).toContain('Status:    in_progress\nRequests:  3 total, 2 completed, 1 failed\n');
    expect(stderr).toBe(
      'gantry: job_run is running: its results are complete once it ends (gantry watch job_run)\n',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 11 for a job cancelled before it produced anything', async () => {
    const { code, stdout } = await results(['job_rc']);
    expect(code).toBe(ExitCode.JobCancelled);
    expect(stdout).toBe('job_rc cancelled (inference_reasoning)\nIt ended without results.\n');
  });

  it.each([
    [
      'job_cmd',
      'job_cmd runs a command, which has no results: results are for inference_batch, inference_reasoning and rl_synthetic jobs (its output: gantry watch job_cmd)',
    ],
    ['job_s1', "job_s1 is a shard of job_b; its results are the whole job's: gantry results job_b"],
  ])('refuses %s, a job of another kind (exit 2)', async (id, message) => {
    const { code, stderr } = await results([id]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toBe(`gantry: error: ${message}\n`);
  });

  it('says an unknown job is not found (exit 3)', async () => {
    const { code, stderr } = await results(['job_zz']);
    expect(code).toBe(ExitCode.NotFound);
    expect(stderr).toBe('gantry: error: job job_zz not found\n');
  });
});

describe('--help of the new commands', () => {
  it.each([
    ['submit', 'inference_reasoning:'],
    ['submit', 'rl_synthetic:'],
    ['submit', 'gantry submit -f batch.yaml'],
    ['results', 'gantry results job_01jd8zq3m2x7 -d results/'],
    ['files', 'gantry files upload requests.jsonl'],
    ['files upload', 'FILE=$(gantry files upload problems.jsonl --parsable)'],
    ['files download', '--to - | jq'],
  ])('%s shows examples (%s)', async (command, example) => {
    const env = fakeEnvironment({});
    await expect(runCli([...command.split(' '), '--help'], env.env)).resolves.toBe(0);
    expect(env.stdout.text).toContain('Examples:');
    expect(env.stdout.text).toContain(example);
  });
});
