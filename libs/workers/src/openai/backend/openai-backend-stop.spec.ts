import { preemptionNotice } from '../../backend';
import {
  OpenAIBackendFixture,
  PARENT_JOB,
  reasoningWorkload,
  shardWorkload,
  simulatedWith,
} from '../../testing/openai-backend-fixture';

const PREFIX = `jobs/${PARENT_JOB}/shards/1/`;
const SHARD = `shard 1 of 3 (${PARENT_JOB})`;

/** Stops, time limits and engines that cannot be had, over the real simulated engine. */
describe('OpenAIBackend: stops and failures', () => {
  const fx = new OpenAIBackendFixture();
  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());
  beforeEach(() => fx.beforeEach());
  afterEach(() => fx.afterEach());

  it('aborts a running shard at once on stop, releases the engine and ends with the reason', async () => {
    await fx.writeRequests(10);
    const { backend, manager } = fx.backend({ command: simulatedWith('--latency-ms 600000') });
    const { task, sink } = await fx.start(backend, shardWorkload({ line_count: 10 }));
    await sink.next('progress'); // requests are in flight, each answered in ten minutes
    const exit = await task.stop(60_000, 'Preempted', 'preempted for job_other');
    expect(exit).toEqual({
      exitCode: -1,
      signal: 'SIGTERM', // unwound at once: the 60 s grace never ran out (that says SIGKILL)
      reason: 'Preempted',
      message: `preempted for job_other; ${SHARD} stopped`,
    });
    expect(sink.lines('stderr')).toEqual([preemptionNotice(60_000)]);
    expect(sink.events.at(-1)).toEqual({ type: 'exited', ...exit });
    expect(manager.warmEngines()).toMatchObject([{ state: 'ready', leases: 0 }]);
    expect(await fx.lines(`${PREFIX}attempt-1.out.jsonl`)).toEqual([]);
    expect(await task.stop(0, 'Cancelled')).toBe(exit); // a second stop changes nothing
  });

  it('stops while the engine is still starting', async () => {
    const { backend } = fx.backend({ command: simulatedWith('--startup-delay-ms 600000') });
    const { task, sink } = await fx.start(
      backend,
      reasoningWorkload({ steps: [{ id: 'a', sample: { prompt: '{{question}}' } }] }),
    );
    await sink.next('log', (e) => e.lines[0]!.startsWith('starting engine custom'));
    const exit = await task.stop(60_000, 'Cancelled');
    expect(exit).toEqual({
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'Cancelled',
      message: 'cancelled; reasoning job_test stopped',
    });
  });

  it('stops at its time limit', async () => {
    await fx.writeRequests(2);
    const { backend } = fx.backend({ command: simulatedWith('--latency-ms 600000') });
    const { task } = await fx.start(backend, shardWorkload({ line_count: 2 }), {
      timeLimitMs: 300,
    });
    expect(await task.exit).toEqual({
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'TimeLimit',
      message: `exceeded its time limit of 0.3 s; ${SHARD} stopped`,
    });
  });

  it('says every little while that it is still waiting for a slow engine', async () => {
    const { backend } = fx.backend({
      command: simulatedWith('--startup-delay-ms 600000'),
      startNoticeMs: 50,
    });
    const { task, sink } = await fx.start(
      backend,
      reasoningWorkload({ steps: [{ id: 'a', sample: { prompt: '{{question}}' } }] }),
      { gpuIndices: [2, 1] },
    );
    await sink.next('log', (e) => e.lines[0]!.includes('(0.1 s)'));
    expect(sink.lines('stdout').slice(0, 3)).toEqual([
      'starting engine custom for m@main on GPUs 1,2',
      'still waiting for engine custom for m@main on GPUs 1,2 (0.05 s)',
      'still waiting for engine custom for m@main on GPUs 1,2 (0.1 s)',
    ]);
    await task.stop(0, 'Cancelled');
  });

  it('ends EngineFailed (run again) when the engine would not start, with what it said', async () => {
    const { backend } = fx.backend({ command: simulatedWith('--colour blue') });
    const { task, sink } = await fx.start(backend, shardWorkload({ line_count: 1 }));
    const exit = await task.exit;
    expect(exit).toMatchObject({ exitCode: -1, signal: '', reason: 'EngineFailed' });
    expect(exit.message).toMatch(
      new RegExp(
        `^${SHARD.replace(/[()]/g, '\\$&')}: no engine: custom engine for m@main on GPUs 0 exited with code 2`,
      ),
    );
    expect(exit.message).toContain('simulated-engine: unknown flag --colour (see --help)');
    expect(sink.of('progress')).toEqual([]);
  });

  it('ends StartFailed for an engine this node cannot start', async () => {
    const { backend } = fx.backend();
    const { task } = await fx.start(backend, shardWorkload({ engine: 'tgi' }));
    expect(await task.exit).toEqual({
      exitCode: -1,
      signal: '',
      reason: 'StartFailed',
      message: `${SHARD}: no engine: engine: "tgi" is not an engine this node can start (known: vllm, sglang, simulated)`,
    });
  });

  it('refuses a workload of another kind', async () => {
    const { backend } = fx.backend();
    await expect(
      backend.start({
        task: { taskId: 't', jobId: 'j', attempt: 1 },
        workload: { kind: 'simulated', gpuSeconds: 1, exitCode: 0, seed: 1 },
        gpuIndices: [0],
        timeLimitMs: null,
        sink: { emit: () => undefined },
      }),
    ).rejects.toThrow(
      'spec.workload: the openai backend runs shard and inference_reasoning workloads, not simulated',
    );
  });
});
