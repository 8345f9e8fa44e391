import { ValidationError } from '@gantry/domain';
import type { Sandbox, SandboxRequest, SandboxResult } from '../ports';
import { RUNNER_SOURCE } from './python-runner';
import { UNIT_TESTS_DEFAULTS, UnitTestsVerifier } from './unit-tests-verifier';

/**
 * A sandbox that runs nothing: it records each request and answers what the test scripted,
 * given the token the runner would have read from stdin (the real one runs in libs/workers).
 */
class FakeSandbox implements Sandbox {
  readonly requests: SandboxRequest[] = [];

  constructor(private readonly answer: (token: string) => Partial<SandboxResult>) {}

  async run(request: SandboxRequest): Promise<SandboxResult> {
    this.requests.push(request);
    const token = (request.stdin ?? '').trim();
    return {
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      durationMs: 5,
      ...this.answer(token),
    };
  }
}

const problem = { id: 'p1', prompt: 'Write add.', tests: 'assert add(1, 2) == 3\n' };
const candidate = 'Sure:\n```python\ndef add(a, b):\n    return a + b\n```\n';
const traceback = [
  'Traceback (most recent call last):',
  '  File "runner.py", line 12, in <module>',
  '  File "tests.py", line 1, in <module>',
  '    assert add(1, 2) == 3',
  'AssertionError',
].join('\n');

function verifierWith(answer: (token: string) => Partial<SandboxResult>) {
  const sandbox = new FakeSandbox(answer);
  const verifier = new UnitTestsVerifier({ sandbox, token: () => 'tok-1' }, { timeLimitMs: 2000 });
  return { sandbox, verifier };
}

describe('UnitTestsVerifier', () => {
  it('runs the extracted code, the tests and the runner with the limits and the token', async () => {
    const { sandbox, verifier } = verifierWith((token) => ({ stdout: `hi\n${token}\n` }));
    const verdict = await verifier.verify(candidate, problem);
    expect(verdict).toEqual({
      accepted: true,
      score: 1,
      extracted: 'def add(a, b):\n    return a + b',
      detail: 'all tests passed',
    });
    expect(sandbox.requests).toEqual([
      {
        files: {
          'solution.py': 'def add(a, b):\n    return a + b',
          'tests.py': problem.tests,
          'runner.py': RUNNER_SOURCE,
        },
        argv: ['python3', '-B', 'runner.py'],
        timeLimitMs: 2000,
        memoryLimitBytes: UNIT_TESTS_DEFAULTS.memoryLimitBytes,
        stdin: 'tok-1\n',
      },
    ]);
  });

  it('uses a fresh token per run by default', async () => {
    const sandbox = new FakeSandbox((token) => ({ stdout: token }));
    const verifier = new UnitTestsVerifier({ sandbox });
    await verifier.verify(candidate, problem);
    await verifier.verify(candidate, problem);
    const [a, b] = sandbox.requests.map((r) => r.stdin);
    expect(a).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(a).not.toBe(b);
  });

  it.each<[string, Partial<SandboxResult>, string]>([
    [
      'a failed assertion: the end of the traceback',
      { exitCode: 1, stderr: traceback },
      `tests failed (exit code 1): ${traceback.split('\n').slice(-8).join('\n')}`,
    ],
    ['a timeout', { exitCode: null, signal: 'SIGKILL', timedOut: true }, 'timed out after 2 s'],
    [
      'the memory limit',
      { exitCode: 1, stderr: 'Traceback...\nMemoryError' },
      'ran out of memory (limit 512 MiB): Traceback...\nMemoryError',
    ],
    [
      'a signal',
      { exitCode: null, signal: 'SIGSEGV' },
      'killed by SIGSEGV (a crash, or the CPU-time or memory limit)',
    ],
    [
      'an early exit 0 without the token',
      { exitCode: 0, stdout: 'bye\n' },
      'exited before the tests finished (exit code 0)',
    ],
    [
      'another run’s token',
      { exitCode: 0, stdout: 'tok-0\n' },
      'exited before the tests finished (exit code 0)',
    ],
  ])('rejects %s', async (_name, result, detail) => {
    const { verifier } = verifierWith(() => result);
    await expect(verifier.verify(candidate, problem)).resolves.toEqual({
      accepted: false,
      score: 0,
      extracted: 'def add(a, b):\n    return a + b',
      detail,
    });
  });

  it('rejects the token printed by a run that then failed', async () => {
    const { verifier } = verifierWith((token) => ({ exitCode: 1, stdout: `${token}\n` }));
    expect((await verifier.verify(candidate, problem)).accepted).toBe(false);
  });

  it('bounds the stderr it quotes', async () => {
    const { verifier } = verifierWith(() => ({ exitCode: 1, stderr: 'x'.repeat(5000) }));
    const { detail } = await verifier.verify(candidate, problem);
    expect(detail).toBe(`tests failed (exit code 1): ...${'x'.repeat(800)}`);
  });

  it('takes the whole text as code when it has no fenced block', async () => {
    const { sandbox, verifier } = verifierWith((token) => ({ stdout: token }));
    await verifier.verify('def add(a, b): return a + b', problem);
    expect(sandbox.requests[0]!.files['solution.py']).toBe('def add(a, b): return a + b');
  });

  it('needs tests: a ValidationError on the field tests', async () => {
    const { verifier } = verifierWith(() => ({}));
    await expect(verifier.verify(candidate, { id: 'p2', prompt: 'x' })).rejects.toThrow(
      new ValidationError([
        {
          field: 'tests',
          message: 'problem "p2" has no tests, which the unit-tests verifier needs',
        },
      ]),
    );
  });

  it.each([
    [{ timeLimitMs: 0 }, 'timeLimitMs: must be a positive whole number, got 0'],
    [{ memoryLimitBytes: 1.5 }, 'memoryLimitBytes: must be a positive whole number, got 1.5'],
    [{ python: ' ' }, 'python: must name a Python interpreter'],
  ])('refuses bad options %j', (options, message) => {
    const sandbox = new FakeSandbox(() => ({}));
    expect(() => new UnitTestsVerifier({ sandbox }, options)).toThrow(message);
  });

  it('documents its defaults: 10 s and 512 MiB', () => {
    expect(UNIT_TESTS_DEFAULTS).toEqual({
      timeLimitMs: 10_000,
      memoryLimitBytes: 536_870_912,
      python: 'python3',
    });
  });
});
