import type { Workload } from '@gantry/domain';
import { ManualTimers } from '../testing/manual-timers';
import { RecordingSink } from '../testing/recording-sink';
import { SimulatedBackend } from './simulated-backend';

const task = { taskId: 't1', jobId: 'job_1', attempt: 1 };
const workload: Workload = { kind: 'simulated', gpuSeconds: 100, seed: 7, exitCode: 0 };

/** 100 H100-seconds on one H100: 100 s of simulated work, 1 % a second. */
async function start(timeLimitMs: number | null = null) {
  const timers = new ManualTimers();
  const backend = new SimulatedBackend({
    gpuModels: new Map([[0, 'H100-80GB']]),
    speedup: 1,
    timers,
  });
  const sink = new RecordingSink();
  const running = await backend.start({ task, workload, gpuIndices: [0], timeLimitMs, sink });
  return { timers, sink, running };
}

describe('SimulatedBackend: checkpoints', () => {
  it('checkpoints at 25, 50 and 75 % of its work, each with a log line first', async () => {
    const { timers, sink } = await start();
    timers.advance(24_999);
    expect(sink.of('checkpoint')).toEqual([]);
    timers.advance(1);
    expect(sink.of('checkpoint')).toEqual([
      { type: 'checkpoint', message: '[simulated] checkpoint at 25%' },
    ]);
    timers.advance(75_000);
    expect(sink.of('checkpoint').map((c) => c.message)).toEqual([
      '[simulated] checkpoint at 25%',
      '[simulated] checkpoint at 50%',
      '[simulated] checkpoint at 75%',
    ]);
    expect(sink.of('exited')).toHaveLength(1);
    expect(sink.of('progress')).toHaveLength(10);
  });

  it('reports the step of 50 % before the checkpoint of 50 %, and the line before the event', async () => {
    const { timers, sink } = await start();
    timers.advance(50_000);
    const tail = sink.events
      .slice(-4)
      .map((e) => (e.type === 'log' ? e.lines[0]!.replace(/ loss=.*/, '') : e.type));
    expect(tail).toEqual([
      '[simulated] step 5/10',
      'progress',
      '[simulated] checkpoint at 50%',
      'checkpoint',
    ]);
  });
});

describe('SimulatedBackend: preemption', () => {
  it('stops at once as Preempted, after a notice on stderr naming the grace period', async () => {
    const { timers, sink, running } = await start();
    timers.advance(60_000);
    const exit = await running.stop(30_000, 'Preempted');
    expect(exit).toEqual({
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'Preempted',
      message: 'preempted; simulation stopped at step 6/10',
    });
    expect(sink.lines('stderr')).toEqual(['[gantry] preempted: stopping (grace 30s)']);
    expect(sink.events.slice(-2).map((e) => e.type)).toEqual(['log', 'exited']);
    expect(timers.size).toBe(0);
  });

  it('gives no preemption notice to a task stopped for another reason', async () => {
    const { timers, sink, running } = await start(10_000);
    timers.advance(10_000);
    await expect(running.exit).resolves.toMatchObject({ reason: 'TimeLimit' });
    await running.stop(1_000, 'Preempted');
    expect(sink.lines('stderr')).toEqual([]);
    expect(sink.of('exited')).toHaveLength(1);
  });
});
