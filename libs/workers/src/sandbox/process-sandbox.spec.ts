import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SandboxRequest } from '@gantry/workloads';
import { isAlive } from '../testing/processes';
import { ProcessSandbox } from './process-sandbox';

const MiB = 1024 * 1024;

/** The pid of the calling Python process as this machine (not its PID namespace) counts. */
const HOST_PID = "int(os.readlink('/proc/self'))";

describe('ProcessSandbox (real processes, python3)', () => {
  let root: string;
  let sandbox: ProcessSandbox;
  const pids: number[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gantry-sandbox-test-'));
    sandbox = await ProcessSandbox.create({ root });
  });

  afterEach(() => {
    for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    expect(readdirSync(root)).toEqual([]); // every run's directory is gone
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function python(code: string, extra: Partial<SandboxRequest> = {}) {
    return sandbox.run({
      files: { 'main.py': code },
      argv: ['python3', 'main.py'],
      timeLimitMs: 10_000,
      memoryLimitBytes: 256 * MiB,
      ...extra,
    });
  }

  /** Pids a program printed as `pid <n>` lines, remembered for the clean-up. */
  function printedPids(stdout: string): number[] {
    const found = [...stdout.matchAll(/^pid (\d+)$/gm)].map((m) => Number(m[1]));
    pids.push(...found);
    return found;
  }

  it('runs a program in a fresh directory with its files, stdin and a minimal environment', async () => {
    const code = [
      'import json, os, sys',
      'open("out.txt", "w").write("written")',
      'print(json.dumps({"cwd": os.getcwd(), "env": dict(os.environ), "stdin": sys.stdin.read(),',
      '    "data": open("data.txt").read(), "files": sorted(os.listdir("."))}))',
      'print("to stderr", file=sys.stderr)',
    ].join('\n');
    const result = await python(code, {
      files: { 'main.py': code, 'data.txt': 'hello' },
      stdin: 'from stdin',
    });
    expect(result).toMatchObject({
      exitCode: 0,
      signal: null,
      stderr: 'to stderr\n',
      timedOut: false,
      stdoutTruncated: false,
      stderrTruncated: false,
    });
    const seen = JSON.parse(result.stdout) as { cwd: string; env: Record<string, string> };
    expect(seen).toEqual({
      cwd: expect.stringMatching(new RegExp(`^${root}/gantry-sandbox-`)) as string,
      env: {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: seen.cwd,
        TMPDIR: seen.cwd,
        LANG: 'C.UTF-8',
      },
      stdin: 'from stdin',
      data: 'hello',
      files: ['data.txt', 'main.py', 'out.txt'],
    });
    expect(existsSync(seen.cwd)).toBe(false);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports the exit code and stderr of a failing program', async () => {
    const result = await python('import sys\nprint("bad", file=sys.stderr)\nsys.exit(3)');
    expect(result).toMatchObject({ exitCode: 3, signal: null, stderr: 'bad\n', timedOut: false });
  });

  it('kills a program that loops forever at the time limit, with its whole group', async () => {
    const code = `import os\nprint("pid", ${HOST_PID}, flush=True)\nwhile True: pass`;
    const result = await python(code, { timeLimitMs: 3000 });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(3000);
    const started = printedPids(result.stdout);
    expect(started).toHaveLength(1);
    expect(isAlive(started[0]!)).toBe(false);
  });

  it('stops a program that allocates without bound at the memory limit', async () => {
    const code = 'chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))';
    const result = await python(code, { memoryLimitBytes: 200 * MiB });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/MemoryError/);
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    let connections = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.end('hello\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const connect = () =>
      [
        'import socket, sys',
        'try:',
        `    s = socket.create_connection(("127.0.0.1", ${port}), timeout=3)`,
        '    print("connected", s.recv(16).decode().strip())',
        'except OSError as error:',
        '    print("refused:", error)',
        '    sys.exit(7)',
      ].join('\n');

    it('connects outside the sandbox (the test program works)', async () => {
      const { stdout } = await promisify(execFile)('python3', ['-c', connect()]);
      expect(stdout).toBe('connected hello\n');
      expect(connections).toBe(1);
    });

    it('cannot open a socket to a port on 127.0.0.1 from inside', async () => {
      const result = await python(connect());
      expect(result.exitCode).toBe(7);
      expect(result.stdout).toMatch(/^refused: .*Network is unreachable/);
      expect(connections).toBe(1); // only the control run above
    });
  });

  it('kills children that outlive the program, even one that left the process group', async () => {
    const code = [
      'import os, sys, time',
      'for escape in (False, True):',
      '    r, w = os.pipe()',
      '    if os.fork() == 0:',
      '        if escape: os.setsid()',
      `        print("pid", ${HOST_PID}, flush=True)`,
      '        os.write(w, b"x")',
      '        time.sleep(600)',
      '        os._exit(0)',
      '    os.read(r, 1)',
      'print("parent done", flush=True)',
    ].join('\n');
    const result = await python(code);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.stdout).toMatch(/parent done/);
    const children = printedPids(result.stdout);
    expect(children).toHaveLength(2);
    for (const pid of children) expect(isAlive(pid)).toBe(false);
  });

  it('keeps the start and the end of huge output, within the limit, marked as truncated', async () => {
    const code = [
      'import sys',
      'sys.stdout.write("START" + "o" * 5_000_000 + "END")',
      'sys.stderr.write("BEGIN" + "e" * 3_000_000 + "Traceback: the end")',
    ].join('\n');
    const result = await python(code);
    expect(result).toMatchObject({ exitCode: 0, stdoutTruncated: true, stderrTruncated: true });
    expect(result.stdout.length).toBeLessThan(64 * 1024 + 100);
    expect(result.stdout).toMatch(/^STARTo+\n\[\.\.\. \d+ bytes omitted \.\.\.\]\no+END$/);
    expect(result.stdout).toContain(`[... ${5_000_008 - 64 * 1024} bytes omitted ...]`);
    expect(result.stderr).toMatch(
      /^BEGINe+\n\[\.\.\. \d+ bytes omitted \.\.\.\]\ne+Traceback: the end$/,
    );
  });
});
