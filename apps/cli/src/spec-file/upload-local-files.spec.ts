import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@gantry/domain';
import { Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { startApiDouble } from '../testing/api-double';
import { fakeEnvironment } from '../testing/fake-environment';

const LINES = [1, 2, 3]
  .map((i) =>
    JSON.stringify({ custom_id: `a-${i}`, method: 'POST', url: '/v1/completions', body: {} }),
  )
  .join('\n');

const BATCH = `name: eval
resources: { gpus: 1 }
inference_batch:
  model: m
  input_file: data/requests.jsonl
  endpoint: /v1/completions
`;

let dir: string;
let double: Awaited<ReturnType<typeof startApiDouble>>;
let refuse: Error | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-upload-'));
  await writeFile(join(dir, 'batch.yaml'), BATCH);
  refuse = undefined;
  double = await startApiDouble({
    maxFileBytes: 8 * 1024 * 1024,
    submit: async (request: SubmitJobRequest) => {
      if (refuse) throw refuse;
      return {
        job: Job.fromPartial({
          id: 'job_b',
          state: JobState.JOB_STATE_PENDING,
          spec: request.spec,
        }),
        created: true,
        arrayJobIds: [],
      };
    },
  });
});

afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function requests(content: string | Buffer = LINES): Promise<void> {
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'requests.jsonl'), content);
}

async function submit(args: string[], stderrTty = false) {
  const env = fakeEnvironment(double.api, { stderrTty, cwd: dir });
  const code = await runCli(['submit', '-f', join(dir, 'batch.yaml'), ...args], env.env);
  return { code, ...env };
}

function inputFileId(request: SubmitJobRequest | undefined): string | undefined {
  const workload = request?.spec?.workload;
  return workload?.$case === 'inferenceBatch' ? workload.inferenceBatch.inputFileId : undefined;
}

describe('submit -f uploads the local files a spec names', () => {
  it('uploads input_file (relative to the spec file) and submits its id, quietly off a terminal', async () => {
    await requests();
    const { code, stdout, stderr } = await submit([]);
    expect(code).toBe(0);
    expect(stdout.text).toBe('job_b pending\n');
    expect(stderr.text).toBe('');
    const [stored] = [...double.files.values()];
    expect(stored?.file.filename).toBe('requests.jsonl');
    expect(stored?.content.toString()).toBe(LINES);
    expect(double.keys).toEqual(['gk_test']);
    expect(inputFileId(double.submitted[0])).toBe(stored?.file.id);
  });

  it('shows progress and the uploaded file on a terminal (stderr)', async () => {
    await requests();
    const { stderr, stdout } = await submit(['--parsable'], true);
    expect(stdout.text).toBe('job_b\n');
    expect(stderr.text).toContain('\r\x1b[2Kuploading requests.jsonl [');
    expect(stderr.text).toContain('100%');
    expect(stderr.text).toMatch(/uploaded requests\.jsonl: file_01 \(3 lines, 2\d\d B\)\n$/);
  });

  it('sends a large file in chunks of at most 1 MiB, intact', async () => {
    const big = Buffer.alloc(3.5 * 1024 * 1024, 'x\n');
    await requests(big);
    await expect(submit([])).resolves.toMatchObject({ code: 0 });
    expect(Math.max(...double.chunkSizes)).toBeLessThanOrEqual(1024 * 1024);
    expect(double.chunkSizes.reduce((a, b) => a + b, 0)).toBe(big.byteLength);
    expect([...double.files.values()][0]?.content.equals(big)).toBe(true);
  });

  it('reuses an identical earlier upload with --idempotency-key, so a retry sends the same spec', async () => {
    await requests();
    await submit(['--idempotency-key', 'k1']);
    await submit(['--idempotency-key', 'k1']);
    expect(double.files.size).toBe(1);
    expect(double.submitted.map(inputFileId)).toEqual(['file_01', 'file_01']);
    await submit([]);
    expect(double.files.size).toBe(2);
  });

  it("says which upload is kept when the server refuses the spec, at the file's line", async () => {
    await requests();
    refuse = new ValidationError([
      {
        field: 'spec.inference_batch.input_file_id',
        message: 'line 2: custom_id "a-2" appears twice',
      },
    ]);
    const { code, stderr } = await submit([]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(
      'gantry: note: inference_batch.input_file was uploaded as file_01 and is kept: name it ' +
        'with input_file_id, or remove it with gantry files delete file_01\n' +
        `gantry: error: ${join(dir, 'batch.yaml')}:5: inference_batch.input_file: line 2: custom_id "a-2" appears twice\n`,
    );
  });

  it('reports a missing local file at its line, before connecting', async () => {
    const { code, stderr, connected } = await submit([]);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr.text).toBe(
      `gantry: error: ${join(dir, 'batch.yaml')}:5: inference_batch.input_file: cannot read ` +
        `data/requests.jsonl (${join(dir, 'data', 'requests.jsonl')}): no such file\n`,
    );
    expect(connected).toHaveLength(0);
  });

  it('stops at the server refusing an upload, and submits nothing', async () => {
    await requests(Buffer.alloc(9 * 1024 * 1024, 'y'));
    const { code, stderr } = await submit([]);
    expect(code).toBe(ExitCode.Error);
    expect(stderr.text).toBe('gantry: error: the file is larger than 8388608 bytes\n');
    expect(double.submitted).toHaveLength(0);
    expect(double.files.size).toBe(0);
  });
});
