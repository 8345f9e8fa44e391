import { EngineFixture } from '../testing/engine-fixture';
import { isAlive } from '../testing/processes';
import { EngineDiedError, EngineStartError, EngineUnreachableError } from './engine-errors';
import type { EngineRequest } from './engine-request';

/** What the engine manager does when engines fail, over real simulated-engine processes. */
describe('EngineManager failures', () => {
  const fixture = new EngineFixture();
  beforeAll(() => fixture.setUp());
  afterAll(() => fixture.tearDown());
  beforeEach(() => fixture.beforeEach());
  afterEach(() => fixture.afterEach());

  const request: EngineRequest = {
    model: 'qwen-7b',
    revision: 'main',
    preset: '',
    gpuIndices: [0],
  };
  const simulated = (flags: string) =>
    `{node} {simulated_engine} --model {model} --host {host} --port {port} ${flags}`;

  async function failure(promise: Promise<unknown>): Promise<Error> {
    const error = await promise.then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    return error;
  }

  it('tells the lease holders when an engine crashes, with its log tail, and forgets it', async () => {
    const { manager, events } = fixture.manager({ command: simulated('--crash-after 1') });
    const lease = await manager.acquire(request);
    const pid = manager.warmEngines()[0]!.pid;
    const call = { endpoint: '/v1/completions', body: { prompt: 'hi' } } as const;
    expect((await lease.client.call(call)).status).toBe(200);
    expect(await failure(lease.client.call(call))).toBeInstanceOf(EngineUnreachableError);
    const died = await lease.died;
    expect(died).toBeInstanceOf(EngineDiedError);
    expect(died.message).toMatch(
      /^custom engine for qwen-7b@main on GPUs 0 exited with code 1; last \d+ lines of its log:/,
    );
    expect(died.logTail.at(-1)).toBe(
      'simulated-engine: crashing on completion request 2 (--crash-after 1)',
    );
    expect(died.logTail[0]).toMatch(/^\[gantry\] starting custom engine/);
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBe(died);
    expect(await events.next('died')).toMatchObject({ error: died, engine: { pid } });
    expect(manager.warmEngines()).toEqual([]);
    lease.release(); // after the fact: harmless
    await manager.acquire(request);
    expect(manager.warmEngines()[0]!.pid).not.toBe(pid);
  });

  it('fails a start that outlives the start timeout, with the log tail, and kills the engine', async () => {
    const { manager, events } = fixture.manager({
      command: simulated('--startup-delay-ms 60000'),
      startTimeoutMs: 300,
    });
    const error = await failure(manager.acquire(request));
    expect(error).toBeInstanceOf(EngineStartError);
    expect(error.message).toMatch(
      /^custom engine for qwen-7b@main on GPUs 0 was not ready within 0.3 s; last 1 lines of its log:\n {2}\[gantry\] starting custom engine/,
    );
    const failed = await events.next('start_failed');
    expect(isAlive(failed.engine.pid)).toBe(false);
    expect(manager.warmEngines()).toEqual([]);
  });

  it('fails a start when the engine exits first, with what it said', async () => {
    const { manager } = fixture.manager({ command: simulated('--colour blue') });
    const error = (await failure(manager.acquire(request))) as EngineStartError;
    expect(error).toBeInstanceOf(EngineStartError);
    expect(error.message).toMatch(
      /^custom engine for qwen-7b@main on GPUs 0 exited with code 2 before it was ready/,
    );
    expect(error.logTail.at(-1)).toBe('simulated-engine: unknown flag --colour (see --help)');
    expect(manager.warmEngines()).toEqual([]);
  });

  it('fails a start when the program cannot be spawned', async () => {
    const { manager } = fixture.manager({ command: 'no-such-engine-gantry serve --port {port}' });
    const error = await failure(manager.acquire(request));
    expect(error).toBeInstanceOf(EngineStartError);
    expect(error.message).toMatch(
      /^custom engine for qwen-7b@main on GPUs 0 could not be started: spawn no-such-engine-gantry ENOENT; last 1 lines of its log:\n {2}\[gantry\] starting/,
    );
    expect(manager.warmEngines()).toEqual([]);
  });

  it('stops a starting or leased engine whose GPUs another engine needs, telling its waiters', async () => {
    const { manager, events } = fixture.manager({ command: simulated('--startup-delay-ms 60000') });
    const slow = manager.acquire({ ...request, preset: 'custom' });
    await events.next('starting');
    const fast = await manager.acquire({ ...request, preset: 'simulated' });
    const error = await failure(slow);
    expect(error).toBeInstanceOf(EngineStartError);
    expect(error.message).toBe(
      'custom engine for qwen-7b@main on GPUs 0 was stopped before it was ready: ' +
        'its GPUs are needed for the simulated engine for qwen-7b@main on GPUs 0',
    );
    // A leased engine is stopped too (the scheduler gave its GPUs away): its holder learns why.
    await manager.acquire({
      ...request,
      model: 'llama-8b',
      preset: 'simulated',
      gpuIndices: [0, 1],
    });
    const died = await fast.died;
    expect(died.message).toBe(
      'simulated engine for qwen-7b@main on GPUs 0 was stopped: ' +
        'its GPUs are needed for the simulated engine for llama-8b@main on GPUs 0,1',
    );
    expect(manager.warmEngines().map((e) => e.model)).toEqual(['llama-8b']);
  });
});
