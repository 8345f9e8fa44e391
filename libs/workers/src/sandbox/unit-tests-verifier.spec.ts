import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier, type Verifier } from '@gantry/workloads';
import { ProcessSandbox } from './process-sandbox';

// The unit-tests verifier (libs/workloads) on the real sandbox and python3.

const tests = 'assert add(1, 2) == 3\nassert add(-1, 1) == 0\n';
const problem = { id: 'add', prompt: 'Write add(a, b).', tests };
const answer = (code: string) => `Here is my solution:\n\n\`\`\`python\n${code}\n\`\`\`\n`;

describe('unit-tests verifier on ProcessSandbox', () => {
  let root: string;
  let verifier: Verifier;
  let quick: Verifier; // a short time limit, for the infinite loop
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gantry-verifier-test-'));
    const sandbox = await ProcessSandbox.create({ root });
    verifier = createVerifier('unit-tests', {
      sandbox,
      unitTests: { timeLimitMs: 10_000, memoryLimitBytes: 256 * 1024 * 1024 },
    });
    quick = createVerifier('unit-tests', { sandbox, unitTests: { timeLimitMs: 1500 } });
    server = createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(() => expect(readdirSync(root)).toEqual([]));

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('accepts a correct solution', async () => {
    const code =
      'def add(a, b):\n    return a + b\n\nif __name__ == "__main__":\n    print(add(int(input()), 1))';
    await expect(verifier.verify(answer(code), problem)).resolves.toEqual({
      accepted: true,
      score: 1,
      extracted: code,
      detail: 'all tests passed',
    });
  });

  it('rejects a wrong solution, quoting the failed assertion', async () => {
    const verdict = await verifier.verify(answer('def add(a, b):\n    return a - b'), problem);
    expect(verdict).toMatchObject({ accepted: false, score: 0 });
    expect(verdict.detail).toMatch(
      /^tests failed \(exit code 1\): Traceback \(most recent call last\):\n {2}File "tests.py"/,
    );
    expect(verdict.detail).toMatch(
      /File "tests.py", line 1, in <module>\n {4}assert add\(1, 2\) == 3\n[\s^]*AssertionError$/,
    );
  });

  it('rejects code that does not compile, naming the syntax error', async () => {
    const verdict = await verifier.verify(answer('def add(a, b) return a + b'), problem);
    expect(verdict).toMatchObject({ accepted: false, score: 0 });
    expect(verdict.detail).toMatch(/File "solution.py", line 1[\s\S]*SyntaxError/);
    expect(verdict.detail).not.toMatch(/runner\.py/);
  });

  it('times out an infinite loop', async () => {
    const verdict = await quick.verify(answer('while True:\n    pass'), problem);
    expect(verdict).toMatchObject({ accepted: false, score: 0, detail: 'timed out after 1.5 s' });
  });

  it('rejects a solution that opens a socket: there is no network', async () => {
    const code = [
      'import socket',
      `socket.create_connection(("127.0.0.1", ${port}), timeout=1).close()`,
      'def add(a, b):',
      '    return a + b',
    ].join('\n');
    const verdict = await verifier.verify(answer(code), problem);
    expect(verdict).toMatchObject({ accepted: false, score: 0 });
    expect(verdict.detail).toMatch(/Network is unreachable/);
    expect(connections).toBe(0);
  });

  it('rejects a solution that exits 0 before the tests run', async () => {
    const code = 'import os\ndef add(a, b):\n    return 0\nos._exit(0)';
    const verdict = await verifier.verify(answer(code), problem);
    expect(verdict).toMatchObject({
      accepted: false,
      detail: 'exited before the tests finished (exit code 0)',
    });
  });

  it('rejects a solution that exhausts the memory limit', async () => {
    const code =
      'hog = [bytearray(32 * 1024 * 1024) for _ in range(64)]\ndef add(a, b):\n    return a + b';
    const verdict = await verifier.verify(answer(code), problem);
    expect(verdict).toMatchObject({ accepted: false, score: 0 });
    expect(verdict.detail).toMatch(/^ran out of memory \(limit 256 MiB\): [\s\S]*MemoryError$/);
  });
});
