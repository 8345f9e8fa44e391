import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { startApiDouble } from '../testing/api-double';
import { fakeEnvironment } from '../testing/fake-environment';

const CONTENT = '{"custom_id":"a-1"}\n{"custom_id":"a-2"}\n{"custom_id":"a-3"}\n';

let dir: string;
let double: Awaited<ReturnType<typeof startApiDouble>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-files-'));
  double = await startApiDouble();
});

afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function gantry(args: string[], options: { stderrTty?: boolean } = {}) {
  const env = fakeEnvironment(double.api, { cwd: dir, stderrTty: options.stderrTty });
  const code = await runCli(args, env.env);
  return { code, stdout: env.stdout.text, stderr: env.stderr.text };
}

describe('gantry files upload', () => {
  it('uploads a file relative to the working directory and prints its id', async () => {
    await writeFile(join(dir, 'requests.jsonl'), CONTENT);
    const result = await gantry(['files', 'upload', 'requests.jsonl']);
    expect(result).toEqual({
      code: 0,
      stdout: 'file_01 requests.jsonl (3 lines, 60 B)\n',
      stderr: '',
    });
    expect(double.files.get('file_01')?.content.toString()).toBe(CONTENT);
  });

  it('stores it under --name, prints only the id with --parsable, and protobuf JSON with -o json', async () => {
    await writeFile(join(dir, 'part-1.jsonl'), CONTENT);
    const parsable = await gantry([
      'files',
      'upload',
      'part-1.jsonl',
      '--name',
      'eval.jsonl',
      '--parsable',
    ]);
    expect(parsable.stdout).toBe('file_01\n');
    expect(double.files.get('file_01')?.file.filename).toBe('eval.jsonl');
    const json = await gantry(['files', 'upload', 'part-1.jsonl', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: 'file_02',
      filename: 'part-1.jsonl',
      purpose: 'FILE_PURPOSE_INPUT',
      bytes: 60,
      lines: 3,
    });
  });

  it('shows progress on a terminal', async () => {
    await writeFile(join(dir, 'requests.jsonl'), CONTENT);
    const { stderr } = await gantry(['files', 'upload', 'requests.jsonl'], { stderrTty: true });
    expect(stderr).toContain('uploading requests.jsonl [');
    expect(stderr).toContain('100%  60 B / 60 B');
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it.each([
    ['missing.jsonl', 'missing.jsonl: no such file'],
    ['.', '.: is not a file'],
  ])('refuses %s (exit 2) before connecting', async (path, message) => {
    const result = await gantry(['files', 'upload', path]);
    expect(result).toMatchObject({ code: ExitCode.Usage, stderr: `gantry: error: ${message}\n` });
    expect(double.keys).toEqual([]);
  });
});

describe('gantry files list, get, delete', () => {
  beforeEach(() => {
    double.addFile('file_in', 'requests.jsonl', CONTENT);
    double.addFile('file_out', 'job_01.output.jsonl', 'x\n', 'job_01');
  });

  it('lists files newest first as a table', async () => {
    const { stdout } = await gantry(['files', 'list']);
    expect(stdout.split('\n')).toEqual([
      'ID        NAME                 PURPOSE  SIZE  LINES  JOB     AGE',
      'file_out  job_01.output.jsonl  output    2 B      1  job_01   1h',
      'file_in   requests.jsonl       input    60 B      3  -        1h',
      '',
    ]);
  });

  it('pages with --limit, says there are more, and follows --all-pages', async () => {
    const first = await gantry(['files', 'ls', '--limit', '1', '-o', 'json']);
    expect(JSON.parse(first.stdout)).toMatchObject({
      files: [{ id: 'file_out' }],
      nextPageToken: '1',
    });
    const table = await gantry(['files', 'list', '--limit', '1']);
    expect(table.stderr).toBe('(more files: raise --limit or pass --all-pages)\n');
    const all = await gantry(['files', 'list', '--limit', '1', '--all-pages', '-o', 'json']);
    const ids = (JSON.parse(all.stdout) as { files: { id: string }[] }).files.map((f) => f.id);
    expect(ids).toEqual(['file_out', 'file_in']);
  });

  it('shows one file, or says it does not exist (exit 3)', async () => {
    const { stdout } = await gantry(['files', 'get', 'file_out']);
    expect(stdout).toContain('Name:     job_01.output.jsonl\n');
    expect(stdout).toContain('Size:     2 B (2 bytes)\n');
    expect(stdout).toMatch(/SHA-256: {2}[0-9a-f]{64}\n/);
    expect(stdout).toContain('Job:      job_01\n');
    const missing = await gantry(['files', 'get', 'file_zz']);
    expect(missing).toMatchObject({
      code: ExitCode.NotFound,
      stderr: 'gantry: error: file file_zz not found\n',
    });
  });

  it('deletes a file', async () => {
    await expect(gantry(['files', 'delete', 'file_in'])).resolves.toMatchObject({
      code: 0,
      stdout: 'file_in deleted\n',
    });
    expect(double.files.has('file_in')).toBe(false);
    const json = await gantry(['files', 'delete', 'file_out', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ fileId: 'file_out', deleted: true });
  });
});

describe('gantry files download', () => {
  const big = Buffer.alloc(300 * 1024, 'line\n');

  beforeEach(() => {
    double.addFile('file_out', 'job_01.output.jsonl', big, 'job_01');
  });

  it('saves under the file name in the working directory by default, streamed in chunks', async () => {
    const { code, stdout } = await gantry(['files', 'download', 'file_out']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'file_out saved to job_01.output.jsonl: job_01.output.jsonl (61,440 lines, 300.0 KiB)\n',
    );
    expect((await readFile(join(dir, 'job_01.output.jsonl'))).equals(big)).toBe(true);
  });

  it('saves into a folder given with --to, or as the path given', async () => {
    await mkdir(join(dir, 'out'));
    await gantry(['files', 'download', 'file_out', '--to', 'out']);
    expect((await readFile(join(dir, 'out', 'job_01.output.jsonl'))).equals(big)).toBe(true);
    await gantry(['files', 'download', 'file_out', '--to', 'out/mine.jsonl']);
    expect(await readdir(join(dir, 'out'))).toEqual(['job_01.output.jsonl', 'mine.jsonl']);
  });

  it('writes to stdout with --to -', async () => {
    double.addFile('file_small', 'x.jsonl', CONTENT);
    const { stdout } = await gantry(['files', 'download', 'file_small', '--to', '-']);
    expect(stdout).toBe(CONTENT);
  });

  it('shows progress on a terminal', async () => {
    const { stderr } = await gantry(['files', 'download', 'file_out'], { stderrTty: true });
    expect(stderr).toContain('downloading job_01.output.jsonl [');
    expect(stderr).toContain('300.0 KiB / 300.0 KiB');
  });

  it('refuses a download that does not match the SHA-256, leaving no file behind', async () => {
    double.files.get('file_out')!.file.sha256 = 'f'.repeat(64);
    const { code, stderr } = await gantry(['files', 'download', 'file_out']);
    expect(code).toBe(ExitCode.Error);
    expect(stderr).toMatch(
      /^gantry: error: download of file_out is corrupt: got 307200 bytes with SHA-256 [0-9a-f]{64}, expected 307200 bytes with SHA-256 f{64}\n$/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('says an unknown file is not found (exit 3)', async () => {
    const result = await gantry(['files', 'download', 'file_zz']);
    expect(result).toMatchObject({
      code: ExitCode.NotFound,
      stderr: 'gantry: error: file file_zz not found\n',
    });
  });
});
