import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@gantry/domain';
import { Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';

const created = (request: SubmitJobRequest) => ({
  job: Job.fromPartial({ id: 'job_01', state: JobState.JOB_STATE_PENDING, spec: request.spec }),
  created: true,
  arrayJobIds: [],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-submit-f-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function specFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs `gantry submit ...args` against a fake API that records what was submitted. */
async function submit(args: string[], options: { stdin?: string; reject?: Error } = {}) {
  const requests: SubmitJobRequest[] = [];
  const env = fakeEnvironment(
    {
      submitJob: async (request) => {
        requests.push(request);
        if (options.reject) throw options.reject;
        return created(request);
      },
    },
    { stdin: options.stdin, cwd: dir },
  );
  const code = await runCli(['submit', ...args], env.env);
  return { code, requests, ...env };
}

describe('gantry submit -f: commands and simulated work', () => {
  it('checks a command spec with the server rules and sends it with the defaults applied', async () => {
    const path = await specFile(
      'train.yaml',
      'resources: { gpus: 2 }\ntime_limit: 1h30m\ncommand: { argv: [python, train.py] }\n',
    );
    const { code, requests, stdout } = await submit(['-f', path]);
    expect(code).toBe(0);
    expect(stdout.text).toBe('job_01 pending\n');
    expect(requests[0]!.spec).toMatchObject({
      name: 'python',
      queue: 'default',
      priority: 100,
      priorityClass: 'batch',
      resources: { gpus: 2, nodes: 1 },
      timeLimit: { seconds: 5400, nanos: 0 },
      workload: { $case: 'command', command: { argv: ['python', 'train.py'] } },
    });
  });

  it('reports the local check at the line of the file, before connecting', async () => {
    const path = await specFile(
      'job.yaml',
      'name: x\npriority: 5000\ntime_limit: 40d\nsimulated: { gpu_seconds: 60 }\n',
    );
    const { code, stderr, connected } = await submit(['-f', path]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(
      `gantry: error: ${path}:2: priority: must be at most 1000\n` +
        `gantry: error: ${path}:3: time_limit: must be at most 2592000 (30 days)\n`,
    );
    expect(connected).toHaveLength(0);
  });

  it('lets flags override the file; a bad flag value is named as the flag', async () => {
    const path = await specFile(
      'job.yaml',
      'name: from-file\nqueue: research\nlabels: { team: a }\nsimulated: { gpu_seconds: 60 }\n',
    );
    const { requests } = await submit([
      '-f',
      path,
      '--name',
      'from-flag',
      '--priority',
      '7',
      '--gpus',
      '2',
      '--label',
      'tier=gold',
      '--idempotency-key',
      'k1',
    ]);
    expect(requests[0]).toMatchObject({
      idempotencyKey: 'k1',
      spec: {
        name: 'from-flag',
        queue: 'research',
        priority: 7,
        resources: { gpus: 2 },
        labels: { team: 'a', tier: 'gold' },
      },
    });
    const bad = await submit(['-f', path, '--priority', '5000']);
    expect(bad.stderr.text).toBe('gantry: error: spec.priority: must be at most 1000\n');
    const malformed = await submit(['-f', path, '--gpus', 'two']);
    expect(malformed.stderr.text).toBe(
      "gantry: error: --gpus: must be a whole number (got 'two')\n",
    );
  });

  it('reads the spec from stdin with -f -', async () => {
    const { code, requests } = await submit(['-f', '-', '--parsable'], {
      stdin: '{"simulated": {"gpu_seconds": 5}, "name": "piped"}',
    });
    expect(code).toBe(0);
    expect(requests[0]!.spec).toMatchObject({ name: 'piped' });
  });

  it('names stdin in errors', async () => {
    const { stderr } = await submit(['-f', '-'], { stdin: 'simulated:\n  gpu_secs: 5\n' });
    expect(stderr.text).toBe(
      'gantry: error: <stdin>:2: simulated: unknown field "gpu_secs" (did you mean "gpu_seconds"?)\n',
    );
  });

  it.each([
    [['--', 'python', 'x.py'], 'a command after --'],
    [['--simulate', '60'], '--simulate'],
    [['--env', 'A=1'], '--env'],
  ])('refuses -f with %j (exit 2)', async (extra, clash) => {
    const path = await specFile('job.yaml', 'simulated: { gpu_seconds: 1 }\n');
    const { code, stderr, connected } = await submit(['-f', path, ...extra]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(
      `gantry: error: -f takes the workload from the spec file; ${clash} cannot go with it (put it in the file)\n`,
    );
    expect(connected).toHaveLength(0);
  });

  it.each([
    ['a missing file', 'nope.yaml', 'no such file'],
    ['a directory', '.', 'is a directory'],
  ])('says so for %s', async (_case, name, problem) => {
    const { code, stderr } = await submit(['-f', join(dir, name)]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(`gantry: error: -f ${join(dir, name)}: ${problem}\n`);
  });

  it('refuses an empty file', async () => {
    const path = await specFile('empty.yaml', '# nothing yet\n');
    const { stderr } = await submit(['-f', path]);
    expect(stderr.text).toBe(
      `gantry: error: ${path}: is empty; a job spec is a mapping of JobSpec fields\n`,
    );
  });
});

describe('gantry submit -f: the inference kinds', () => {
  const reasoning = `name: r
resources: { gpus: 1 }
inference_reasoning:
  model: m
  question: What is 17 * 23?
  steps:
    - id: draft
      sample: { n: 4, prompt: '{{question}}' }
    - id: improve
      refine: { input: drafts, prompt: '{{item}}' }
  output: improve
`;

  it('sends the decoded spec as it is, for the server to check', async () => {
    const path = await specFile('r.yaml', reasoning);
    const { code, requests } = await submit(['-f', path, '--class', 'background']);
    expect(code).toBe(0);
    expect(requests[0]!.spec).toMatchObject({
      name: 'r',
      priorityClass: 'background',
      resources: { gpus: 1 },
      workload: {
        $case: 'inferenceReasoning',
        inferenceReasoning: {
          model: 'm',
          steps: [
            { id: 'draft', kind: { $case: 'sample', sample: { n: 4 } } },
            { id: 'improve', kind: { $case: 'refine', refine: { input: 'drafts' } } },
          ],
        },
      },
    });
  });

  it("points the server's field violations at the file's lines", async () => {
    const path = await specFile('r.yaml', reasoning);
    const { code, stderr } = await submit(['-f', path, '--priority', '2000'], {
      reject: new ValidationError([
        {
          field: 'spec.inference_reasoning.steps[1].refine.input',
          message: 'names "drafts", which is not a step',
        },
        { field: 'spec.priority', message: 'must be at most 1000' },
        { field: 'spec.inference_reasoning.budget.max_calls', message: 'must be at least 1' },
        { field: 'spec.time_limit_seconds', message: 'must be at least 60' },
      ]),
    });
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(
      [
        // Not in the file: the nearest field that is (here the top).
        `gantry: error: ${path}:1: time_limit_seconds: must be at least 60`,
        `gantry: error: ${path}:3: inference_reasoning.budget.max_calls: must be at least 1`,
        `gantry: error: ${path}:10: inference_reasoning.steps[1].refine.input: names "drafts", which is not a step`,
        // Set by a flag: the server's words.
        `gantry: error: spec.priority: must be at most 1000`,
        '',
      ].join('\n'),
    );
  });

  it('finds a field the server names by its proto spelling (time_limit_seconds)', async () => {
    const path = await specFile(
      'b.yaml',
      'name: b\ntime_limit: 30s\ninference_batch: { model: m }\n',
    );
    const { stderr } = await submit(['-f', path], {
      reject: new ValidationError([
        { field: 'spec.time_limit_seconds', message: 'must be at least 60' },
      ]),
    });
    expect(stderr.text).toBe(`gantry: error: ${path}:2: time_limit: must be at least 60\n`);
  });
});
