import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@gantry/domain';
import { EngineFixture } from '../testing/engine-fixture';
import { isAlive } from '../testing/processes';
import type { EngineLease } from './engine-lease';
import type { EngineRequest } from './engine-request';

/** The engine manager over real simulated-engine processes. */
describe('EngineManager', () => {
  const fixture = new EngineFixture();
  beforeAll(() => fixture.setUp());
  afterAll(() => fixture.tearDown());
  beforeEach(() => fixture.beforeEach());
  afterEach(() => fixture.afterEach());

  const qwen: EngineRequest = {
    model: 'qwen-7b',
    revision: 'main',
    preset: '',
    gpuIndices: [3, 1],
  };

  async function ask(lease: EngineLease, prompt = 'What is 17 * 23?') {
    return lease.client.call({ endpoint: '/v1/completions', body: { prompt, temperature: 0 } });
  }

  async function stats(lease: EngineLease): Promise<{ completions: number }> {
    return (await (await fetch(`${lease.baseUrl}/stats`)).json()) as { completions: number };
  }

  function environ(pid: number): string[] {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  }

  it('starts an engine on the GPUs, waits for /health, and serves through the lease', async () => {
    const { manager, events } = fixture.manager();
    const lease = await manager.acquire(qwen);
    const [engine] = manager.warmEngines();
    expect(engine).toEqual({
      model: 'qwen-7b',
      revision: 'main',
      preset: 'simulated',
      gpuIndices: [1, 3],
      state: 'ready',
      port: expect.any(Number) as number,
      pid: expect.any(Number) as number,
      leases: 1,
    });
    expect(lease.baseUrl).toBe(`http://127.0.0.1:${engine!.port}`);
    expect(lease.engine).toBe('simulated');
    expect(environ(engine!.pid)).toContain('CUDA_VISIBLE_DEVICES=1,3');
    const answer = await ask(lease);
    expect(answer.status).toBe(200);
    expect(answer.requestId).not.toBe('');
    expect(answer.body).toMatchObject({ model: 'qwen-7b', object: 'text_completion' });
    expect(events.all.map((e) => e.type)).toEqual(['starting', 'ready']);
    const log = readFileSync(
      join(fixture.stateDir, 'engines', 'simulated-qwen-7b@main-gpus-1_3.log'),
      'utf8',
    );
    expect(log).toContain('[gantry] starting simulated engine for qwen-7b@main on GPUs 1,3:');
    expect(log).toContain(`"event":"listening","port":${engine!.port}`);
    expect(lease.signal.aborted).toBe(false);
  });

  it('reuses a warm engine for the same model, revision, engine and GPU set', async () => {
    const { manager, events } = fixture.manager();
    const first = await manager.acquire(qwen);
    await ask(first);
    first.release();
    first.release(); // twice is harmless
    expect(manager.warmEngines()).toMatchObject([{ state: 'ready', leases: 0 }]);
    const second = await manager.acquire({ ...qwen, gpuIndices: [1, 3, 3] });
    expect(second.baseUrl).toBe(first.baseUrl);
    await ask(second);
    expect((await stats(second)).completions).toBe(2);
    expect(events.count('starting')).toBe(1);
    // A different revision or GPU set is a different engine.
    const other = await manager.acquire({ ...qwen, revision: 'v2', gpuIndices: [0] });
    expect(other.baseUrl).not.toBe(first.baseUrl);
    expect(manager.warmEngines()).toHaveLength(2);
  });

  it('stops a warm engine of something else whose GPUs the next engine needs', async () => {
    const { manager, events } = fixture.manager();
    const qwenLease = await manager.acquire(qwen); // GPUs 1, 3
    const spare = await manager.acquire({ ...qwen, gpuIndices: [0] });
    spare.release();
    qwenLease.release();
    const qwenPid = manager.warmEngines().find((e) => e.gpuIndices.includes(1))!.pid;
    const llama = await manager.acquire({ ...qwen, model: 'llama-8b', gpuIndices: [2, 3] });
    expect(isAlive(qwenPid)).toBe(false);
    const stopped = await events.next('stopped');
    expect(stopped).toMatchObject({
      cause: 'evicted',
      engine: { model: 'qwen-7b', gpuIndices: [1, 3] },
    });
    expect(manager.warmEngines().map((e) => [e.model, e.gpuIndices])).toEqual([
      ['qwen-7b', [0]], // no GPU in common: still warm
      ['llama-8b', [2, 3]],
    ]);
    expect((await ask(llama)).status).toBe(200);
  });

  it('stops an engine left idle for idleMs', async () => {
    const { manager, events } = fixture.manager({ idleMs: 50 });
    const lease = await manager.acquire(qwen);
    const pid = manager.warmEngines()[0]!.pid;
    lease.release();
    const stopped = await events.next('stopped');
    expect(stopped).toMatchObject({ cause: 'idle', engine: { pid } });
    expect(isAlive(pid)).toBe(false);
    expect(manager.warmEngines()).toEqual([]);
    const leased = await manager.acquire(qwen); // a later acquire starts a new one
    expect(manager.warmEngines()[0]!.pid).not.toBe(pid);
    leased.release();
  });

  it('shares one start among concurrent acquires of the same engine', async () => {
    const { manager, events } = fixture.manager();
    const leases = await Promise.all([
      manager.acquire(qwen),
      manager.acquire({ ...qwen, gpuIndices: [1, 3] }),
      manager.acquire(qwen),
    ]);
    expect(new Set(leases.map((l) => l.baseUrl)).size).toBe(1);
    expect(events.count('starting')).toBe(1);
    expect(manager.warmEngines()).toMatchObject([{ leases: 3 }]);
  });

  it('gives up an aborted acquire but lets the engine finish starting for others', async () => {
    const { manager, events } = fixture.manager();
    const controller = new AbortController();
    const aborted = manager.acquire(qwen, controller.signal);
    const other = manager.acquire(qwen);
    await events.next('starting');
    controller.abort(new Error('task cancelled'));
    await expect(aborted).rejects.toThrow('task cancelled');
    expect((await ask(await other)).status).toBe(200);
    expect(manager.warmEngines()).toMatchObject([{ state: 'ready', leases: 1 }]);
  });

  it('refuses a bad request, naming every field', async () => {
    const { manager } = fixture.manager();
    const error = await manager
      .acquire({ model: '', revision: 'main', preset: 'tgi', gpuIndices: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations.map((v) => v.field)).toEqual([
      'model',
      'gpuIndices',
      'engine',
    ]);
    expect(manager.warmEngines()).toEqual([]);
  });

  it('shuts every engine down, leased or idle, safely twice, and refuses acquires after', async () => {
    const { manager } = fixture.manager();
    const leased = await manager.acquire(qwen);
    (await manager.acquire({ ...qwen, model: 'other', gpuIndices: [0] })).release();
    const pids = manager.warmEngines().map((e) => e.pid);
    expect(pids.every(isAlive)).toBe(true);
    await Promise.all([manager.shutdown(), manager.shutdown()]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(manager.warmEngines()).toEqual([]);
    const died = await leased.died;
    expect(died.message).toContain('was stopped: the node agent is shutting down');
    expect(leased.signal.reason).toBe(died);
    await expect(manager.acquire(qwen)).rejects.toThrow('the engine manager is shutting down');
    expect(readdirSync(join(fixture.stateDir, 'engine-groups'))).toEqual([]);
    expect(existsSync(join(fixture.stateDir, 'engines'))).toBe(true);
  });
});
