import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { buildSimulatedEngine, removeSimulatedEngineBuild } from './testing/built-engine';

/** The simulated engine as a real program (built dist/ output run by node). */
describe('simulated-engine program', () => {
  let main: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    main = await buildSimulatedEngine();
  });

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(() => removeSimulatedEngineBuild(main));

  function run(args: string[]) {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as string | null,
      stderr,
    }));
    const firstLine = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then((exit) =>
        reject(new Error(`exited before a line: ${JSON.stringify(exit)}`)),
      );
    });
    firstLine.catch(() => undefined); // a test that expects no line does not await it
    return { child, exited, firstLine };
  }

  it('prints the listening line, serves, and exits 0 on SIGTERM', async () => {
    const { child, firstLine, exited } = run(['--model', 'sim-7b', '--port', '0']);
    const listening = JSON.parse(await firstLine) as { event: string; port: number };
    expect(Object.keys(listening)).toEqual(['event', 'port']);
    expect(listening.event).toBe('listening');
    expect(listening.port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${listening.port}/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toMatchObject({ code: 0, signal: null });
  });

  it('exits 2 naming a bad flag, and prints usage for --help', async () => {
    expect(await run(['--model', 'm', '--fail-rate', '2']).exited).toEqual({
      code: 2,
      signal: null,
      stderr: "simulated-engine: --fail-rate must be a number from 0 to 1 (got '2') (see --help)\n",
    });
    expect((await run(['--model', 'm', '--colour']).exited).stderr).toContain(
      'unknown flag --colour',
    );
    const help = run(['--help']);
    expect(await help.firstLine).toMatch(/^usage: simulated-engine --model NAME/);
    expect((await help.exited).code).toBe(0);
  });

  it('with --crash-after 1 exits 1 when the second completion request arrives', async () => {
    const { firstLine, exited } = run(['--model', 'm', '--crash-after', '1']);
    const { port } = JSON.parse(await firstLine) as { port: number };
    const complete = () =>
      fetch(`http://127.0.0.1:${port}/v1/completions`, {
        method: 'POST',
        body: JSON.stringify({ prompt: 'What is 2 + 2?' }),
      });
    expect((await complete()).status).toBe(200);
    await expect(complete()).rejects.toThrow();
    const exit = await exited;
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.stderr).toContain('crashing on completion request 2 (--crash-after 1)');
  });
});
