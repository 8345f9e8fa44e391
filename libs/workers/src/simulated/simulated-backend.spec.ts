import { ValidationError, type Workload } from '@gantry/domain';
import { ManualTimers } from '../testing/manual-timers';
import { RecordingSink } from '../testing/recording-sink';
import { simulatedDurationMs } from './model';
import { SimulatedBackend } from './simulated-backend';

const task = { taskId: 't1', jobId: 'job_1', attempt: 1 };
const workload = (gpuSeconds: number, seed = 7, exitCode = 0): Workload => ({
  kind: 'simulated',
  gpuSeconds,
  seed,
  exitCode,
});

function setUp(
  models: [number, string | null][] = [
    [0, 'H100-80GB'],
    [1, 'H100-80GB'],
    [2, 'A100-40GB'],
  ],
  speedup = 1,
) {
  const timers = new ManualTimers();
  const backend = new SimulatedBackend({ gpuModels: new Map(models), speedup, timers });
  return { timers, backend };
}

describe('simulatedDurationMs', () => {
  it.each([
    [100, ['H100-80GB'], 1, 100_000],
    [100, ['H100-80GB', 'H100-80GB'], 1, 50_000],
    [100, [], 1, 100_000],
    [100, ['B200-192GB'], 1, 100_000 / 2.2],
    [100, ['H100-80GB', 'A100-40GB'], 1, 100_000 / (2 * 0.33)],
    [100, ['H100-80GB'], 10, 10_000],
    [100, [null], 1, 100_000],
  ])('%d gpu-seconds on %j at speedup %d take %d ms', (gpuSeconds, models, speedup, expected) => {
    expect(simulatedDurationMs(gpuSeconds, models, speedup)).toBeCloseTo(expected, 6);
  });
});

describe('SimulatedBackend', () => {
  it('takes the time of its cost model, with ten progress steps, then exits with the exit code', async () => {
    const { timers, backend } = setUp();
    const sink = new RecordingSink();
    const running = await backend.start({
      task,
      workload: workload(20, 7, 3),
      gpuIndices: [0, 1],
      timeLimitMs: null,
      sink,
    });
    expect(sink.events[0]).toEqual({ type: 'started', backend: 'simulated', pid: 0 });
    expect(sink.lines('stdout')[0]).toMatch(
      /^\[simulated\] SIMULATED workload: 20 H100-seconds on 2 x H100-80GB/,
    );
    timers.advance(9_999); // 20 gpu-seconds / 2 H100s = 10 s
    expect(sink.of('progress').map((p) => p.fraction)).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
    ]);
    expect(sink.of('exited')).toEqual([]);
    timers.advance(1);
    expect(sink.events.at(-1)).toEqual({
      type: 'exited',
      exitCode: 3,
      signal: '',
      reason: '',
      message: 'simulated work finished; exited with code 3',
    });
    await expect(running.exit).resolves.toMatchObject({ exitCode: 3 });
  });

  it('runs at the pace of the slowest allocated GPU', async () => {
    const { timers, backend } = setUp();
    const sink = new RecordingSink();
    await backend.start({
      task,
      workload: workload(6.6),
      gpuIndices: [0, 2],
      timeLimitMs: null,
      sink,
    });
    timers.advance(9_999); // 6.6 / (2 x 0.33) = 10 s
    expect(sink.of('exited')).toEqual([]);
    timers.advance(1);
    expect(sink.of('exited')).toHaveLength(1);
  });

  it('writes the same lines for the same seed, and other lines for another seed', async () => {
    const run = async (seed: number) => {
      const { timers, backend } = setUp();
      const sink = new RecordingSink();
      await backend.start({
        task,
        workload: workload(1, seed),
        gpuIndices: [0],
        timeLimitMs: null,
        sink,
      });
      timers.advance(1000);
      return sink.lines('stdout').filter((line) => line.startsWith('[simulated] step'));
    };
    const first = await run(42);
    expect(first).toHaveLength(10);
    expect(first[2]).toMatch(/^\[simulated\] step 3\/10 loss=\d\.\d{4}$/);
    expect(await run(42)).toEqual(first);
    expect(await run(43)).not.toEqual(first);
  });

  it('stops at once with SIGTERM and the stop reason', async () => {
    const { timers, backend } = setUp();
    const sink = new RecordingSink();
    const running = await backend.start({
      task,
      workload: workload(100),
      gpuIndices: [0],
      timeLimitMs: null,
      sink,
    });
    timers.advance(25_000);
    const exit = await running.stop(10_000, 'Cancelled', 'cancelled by its owner');
    expect(exit).toEqual({
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'Cancelled',
      message: 'cancelled by its owner; simulation stopped at step 2/10',
    });
    expect(sink.events.at(-1)).toEqual({ type: 'exited', ...exit });
    expect(timers.size).toBe(0);
    timers.advance(1_000_000);
    expect(sink.of('exited')).toHaveLength(1);
  });

  it('stops at its time limit', async () => {
    const { timers, backend } = setUp();
    const sink = new RecordingSink();
    await backend.start({
      task,
      workload: workload(100),
      gpuIndices: [0],
      timeLimitMs: 30_000,
      sink,
    });
    timers.advance(30_000);
    expect(sink.of('exited')).toEqual([
      expect.objectContaining({ reason: 'TimeLimit', signal: 'SIGTERM', exitCode: -1 }),
    ]);
  });

  it('refuses a command workload', async () => {
    const { backend } = setUp();
    const command: Workload = { kind: 'command', argv: ['true'], env: {}, workingDir: null };
    await expect(
      backend.start({
        task,
        workload: command,
        gpuIndices: [],
        timeLimitMs: null,
        sink: new RecordingSink(),
      }),
    ).rejects.toThrow(ValidationError);
  });
});
