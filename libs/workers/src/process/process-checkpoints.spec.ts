import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningTask } from '../backend';
import type { WorkerLog } from '../ports';
import { waitFor } from '../testing/processes';
import { RecordingSink } from '../testing/recording-sink';
import { ProcessBackend } from './process-backend';

const silent: WorkerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const baseEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
const task = { taskId: 'task-ckpt', jobId: 'job_ckpt', attempt: 1 };

describe('ProcessBackend: checkpoints and preemption', () => {
  let stateDir: string;
  const started: RunningTask[] = [];

  beforeEach(() => (stateDir = mkdtempSync(join(tmpdir(), 'gantry-ckpt-'))));
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.stop(0, 'Cancelled')));
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function run(script: string) {
    const backend = new ProcessBackend({ stateDir, baseEnv, killGraceMs: 1000, log: silent });
    const sink = new RecordingSink();
    const running = await backend.start({
      task,
      workload: { kind: 'command', argv: ['sh', '-c', script], env: {}, workingDir: null },
      gpuIndices: [],
      timeLimitMs: null,
      sink,
    });
    started.push(running);
    return { sink, running };
  }

  const logFile = () =>
    readFileSync(join(stateDir, 'tasks', task.taskId, 'attempt-1', 'output.log'), 'utf8');

  it('turns a GANTRY_CHECKPOINT line into a checkpoint event and keeps the line in the log', async () => {
    const { sink, running } = await run(
      'echo before; echo "GANTRY_CHECKPOINT step 500 saved"; echo GANTRY_CHECKPOINT; echo "GANTRY_CHECKPOINT x" >&2',
    );
    await running.exit;
    expect(sink.of('checkpoint')).toEqual([
      { type: 'checkpoint', message: 'step 500 saved' },
      { type: 'checkpoint', message: '' },
    ]);
    expect(sink.lines('stdout')).toEqual([
      'before',
      'GANTRY_CHECKPOINT step 500 saved',
      'GANTRY_CHECKPOINT',
    ]);
    expect(sink.lines('stderr')).toEqual(['GANTRY_CHECKPOINT x']); // stderr: only a log line
    // each checkpoint event follows the log line that reported it
    const order = sink.events.map((e) => (e.type === 'log' ? e.lines.join('|') : e.type));
    expect(order.slice(1, 5)).toEqual([
      'before|GANTRY_CHECKPOINT step 500 saved',
      'checkpoint',
      'GANTRY_CHECKPOINT',
      'checkpoint',
    ]);
    expect(logFile()).toContain('stdout | GANTRY_CHECKPOINT step 500 saved\n');
  });

  it('preempts like a cancel: a notice in the log, SIGTERM to checkpoint on, exit reason Preempted', async () => {
    const script =
      'trap \'echo "GANTRY_CHECKPOINT on SIGTERM"; exit 0\' TERM; echo ready; while :; do sleep 0.05; done';
    const { sink, running } = await run(script);
    await waitFor('the task to be ready', () => sink.lines('stdout').includes('ready'));
    const exit = await running.stop(30_000, 'Preempted', 'preempted for job_vip');
    expect(exit).toEqual({
      exitCode: 0,
      signal: '',
      reason: 'Preempted',
      message: 'preempted for job_vip; exited with code 0',
    });
    // first on stderr (sh may then say that its sleep was "Terminated")
    expect(sink.lines('stderr')[0]).toBe('[gantry] preempted: stopping (grace 30s)');
    expect(sink.of('checkpoint')).toEqual([{ type: 'checkpoint', message: 'on SIGTERM' }]);
    const types = sink.events.map((e) => (e.type === 'log' ? `log:${e.stream}` : e.type));
    expect(types.indexOf('log:stderr')).toBeLessThan(types.indexOf('checkpoint'));
    expect(logFile()).toContain('stderr | [gantry] preempted: stopping (grace 30s)\n');
    expect(sink.events.at(-1)).toEqual({ type: 'exited', ...exit });
  });

  it('sends SIGKILL after the grace period to a preempted task that ignores SIGTERM', async () => {
    const { sink, running } = await run('trap "" TERM; echo ready; while :; do sleep 0.05; done');
    await waitFor('the task to be ready', () => sink.lines('stdout').includes('ready'));
    const exit = await running.stop(300, 'Preempted');
    expect(exit).toMatchObject({
      signal: 'SIGKILL',
      reason: 'Preempted',
      message: 'preempted; killed by SIGKILL',
    });
    expect(sink.lines('stderr')).toEqual(['[gantry] preempted: stopping (grace 0.3s)']);
  });

  it('gives a cancelled task no preemption notice, and a second stop no second notice', async () => {
    const first = await run('sleep 100');
    await first.running.stop(5_000, 'Cancelled');
    expect(first.sink.lines('stderr')).toEqual([]);
    const second = await run('trap "" TERM; echo ready; while :; do sleep 0.05; done');
    await waitFor('the task to be ready', () => second.sink.lines('stdout').includes('ready'));
    void second.running.stop(5_000, 'Preempted');
    const exit = await second.running.stop(0, 'Cancelled');
    expect(exit).toMatchObject({ signal: 'SIGKILL', reason: 'Preempted' });
    expect(second.sink.lines('stderr')).toEqual(['[gantry] preempted: stopping (grace 5s)']);
  });
});
