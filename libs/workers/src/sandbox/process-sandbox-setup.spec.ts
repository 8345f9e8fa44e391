import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailedPreconditionError, ValidationError } from '@gantry/domain';
import type { SandboxRequest } from '@gantry/workloads';
import { ProcessSandbox } from './process-sandbox';

const MiB = 1024 * 1024;

describe('ProcessSandbox limits and refusals (real processes, python3)', () => {
  let root: string;
  let sandbox: ProcessSandbox;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gantry-sandbox-test-'));
    sandbox = await ProcessSandbox.create({ root });
  });

  afterEach(() => expect(readdirSync(root)).toEqual([])); // every run's directory is gone

  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('refuses to write a file beyond the file-size limit', async () => {
    const small = await ProcessSandbox.create({ root, fileSizeLimitBytes: MiB });
    const result = await small.run({
      files: { 'main.py': 'open("big", "wb").write(b"x" * (4 * 1024 * 1024))' },
      argv: ['python3', 'main.py'],
      timeLimitMs: 10_000,
      memoryLimitBytes: 256 * MiB,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/File too large/);
  });

  it('runs at most maxConcurrentRuns at once', async () => {
    const log = join(root, '..', `gantry-sandbox-log-${process.pid}-${Date.now()}`);
    const one = await ProcessSandbox.create({ root, maxConcurrentRuns: 1 });
    const run = (name: string) =>
      one.run({
        files: {
          'main.py': [
            'import time',
            `open(${JSON.stringify(log)}, "a").write("${name}+ ")`,
            'time.sleep(0.2)',
            `open(${JSON.stringify(log)}, "a").write("${name}- ")`,
          ].join('\n'),
        },
        argv: ['python3', 'main.py'],
        timeLimitMs: 10_000,
        memoryLimitBytes: 256 * MiB,
      });
    try {
      const runs = [run('a'), run('b'), run('c')];
      expect(one.usage).toEqual({ running: 1, waiting: 2 });
      const results = await Promise.all(runs);
      expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0]);
      expect(readFileSync(log, 'utf8')).toBe('a+ a- b+ b- c+ c- ');
    } finally {
      rmSync(log, { force: true });
    }
  });

  it('refuses bad requests before running anything', async () => {
    const base = { files: {}, argv: ['python3'], timeLimitMs: 1000, memoryLimitBytes: MiB };
    const refused = (request: SandboxRequest) => sandbox.run(request).catch((e: unknown) => e);
    const error = (await refused({
      ...base,
      files: { '../escape.py': '', 'a/b': '', ok: '' },
      argv: [],
      timeLimitMs: 0,
      memoryLimitBytes: 1.5,
    })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.violations.map((v) => v.field)).toEqual([
      'files["../escape.py"]',
      'files["a/b"]',
      'argv',
      'timeLimitMs',
      'memoryLimitBytes',
    ]);
    await expect(refused({ ...base, argv: ['no-such-program-gantry'] })).resolves.toEqual(
      ValidationError.field(
        'argv',
        `program "no-such-program-gantry" is not an executable on the sandbox's PATH (/usr/local/bin:/usr/bin:/bin)`,
      ),
    );
  });
});

describe('ProcessSandbox.create', () => {
  it('refuses to make a sandbox when no isolation works, naming each attempt', async () => {
    const error = await ProcessSandbox.create({
      isolations: [
        { name: 'broken', prefix: ['false', '--'] },
        { name: 'missing', prefix: ['no-such-unshare-gantry', '--'] },
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect((error as Error).message).toMatch(
      /cannot run programs without network here.*broken \(false --\): exited with code 1; missing \(no-such-unshare-gantry --\): cannot start it \(ENOENT\)/,
    );
  });

  it('refuses bad options', async () => {
    await expect(ProcessSandbox.create({ outputLimitBytes: 0 })).rejects.toThrow(
      'outputLimitBytes: must be a positive whole number, got 0',
    );
    await expect(ProcessSandbox.create({ maxConcurrentRuns: -1 })).rejects.toThrow(
      'maxConcurrentRuns: must be a positive whole number, got -1',
    );
  });
});
