import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningTask, StartTaskRequest } from '../backend';
import type { WorkerLog } from '../ports';
import { isAlive, waitFor } from '../testing/processes';
import { RecordingSink } from '../testing/recording-sink';
import { ProcessBackend } from './process-backend';

const silent: WorkerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const baseEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
const task = { taskId: 'task-1', jobId: 'job_1', attempt: 2 };

describe('ProcessBackend', () => {
  let stateDir: string;
  let backend: ProcessBackend;
  const started: RunningTask[] = [];
  const pids: number[] = [];

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'gantry-process-'));
    backend = new ProcessBackend({ stateDir, baseEnv, killGraceMs: 1000, log: silent });
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.stop(0, 'Cancelled')));
    for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function run(
    argv: string[],
    options: Partial<StartTaskRequest> & { workingDir?: string; env?: Record<string, string> } = {},
  ) {
    const sink = new RecordingSink();
    const running = await backend.start({
      task,
      workload: {
        kind: 'command',
        argv,
        env: options.env ?? {},
        workingDir: options.workingDir ?? null,
      },
      gpuIndices: options.gpuIndices ?? [],
      timeLimitMs: options.timeLimitMs ?? null,
      sink,
    });
    started.push(running);
    return { sink, running };
  }

  /** Pids a script printed as `pid <n>` lines. */
  function printedPids(sink: RecordingSink): number[] {
    const found = sink
      .lines('stdout')
      .flatMap((l) => /^pid (\d+)$/.exec(l)?.slice(1) ?? [])
      .map(Number);
    pids.push(...found);
    return found;
  }

  it('runs a command: both streams, progress, env, exit code, log file', async () => {
    const script = [
      'echo "gpus=$CUDA_VISIBLE_DEVICES job=$GANTRY_JOB_ID task=$GANTRY_TASK_ID attempt=$GANTRY_ATTEMPT"',
      'echo "custom=$CUSTOM home=$HOME secret=${GANTRY_BOOTSTRAP_TOKEN:-unset}"',
      'echo oops >&2',
      'echo "GANTRY_PROGRESS 0.5 halfway"',
      'echo "cwd=$(pwd)"',
      'printf "no newline"',
      'exit 3',
    ].join('; ');
    const { sink, running } = await run(['sh', '-c', script], {
      gpuIndices: [1, 3],
      env: { CUSTOM: 'yes' },
    });
    const exit = await running.exit;
    expect(exit).toEqual({ exitCode: 3, signal: '', reason: '', message: 'exited with code 3' });
    expect(sink.events[0]).toMatchObject({ type: 'started', backend: 'process' });
    expect(sink.of('started')[0]!.pid).toBeGreaterThan(1);
    expect(sink.events.at(-1)).toEqual({ type: 'exited', ...exit });
    const workDir = join(stateDir, 'tasks', 'task-1', 'attempt-2', 'work');
    expect(sink.lines('stdout')).toEqual([
      'gpus=1,3 job=job_1 task=task-1 attempt=2',
      'custom=yes home=/tmp secret=unset',
      `cwd=${workDir}`,
      'no newline',
    ]);
    expect(sink.lines('stderr')).toEqual(['oops']);
    expect(sink.of('progress')).toEqual([{ type: 'progress', fraction: 0.5, message: 'halfway' }]);
    // the progress event comes after the lines written before it
    const order = sink.events.map((e) => e.type);
    expect(order.indexOf('progress')).toBeGreaterThan(order.indexOf('log'));
    const log = readFileSync(join(stateDir, 'tasks', 'task-1', 'attempt-2', 'output.log'), 'utf8');
    expect(log).toContain('stdout | gpus=1,3 job=job_1');
    expect(log).toContain('stderr | oops');
    expect(log).toContain('stdout | GANTRY_PROGRESS 0.5 halfway');
    expect(readdirSync(join(stateDir, 'process-groups'))).toEqual([]);
  });

  it('sets CUDA_VISIBLE_DEVICES to the empty string for a task without GPUs', async () => {
    const { sink, running } = await run(['sh', '-c', 'echo "[${CUDA_VISIBLE_DEVICES-unset}]"'], {
      workingDir: stateDir,
    });
    await running.exit;
    expect(sink.lines('stdout')).toEqual(['[]']);
  });

  it('stop kills the whole process tree with SIGTERM', async () => {
    const { sink, running } = await run([
      'sh',
      '-c',
      'sleep 100 & echo "pid $!"; echo "pid $$"; wait',
    ]);
    await waitFor('both pids printed', () => printedPids(sink).length === 2);
    const tree = printedPids(sink);
    expect(tree.every(isAlive)).toBe(true);
    const exit = await running.stop(5000, 'Cancelled', 'cancelled by its owner');
    expect(exit).toMatchObject({ exitCode: -1, signal: 'SIGTERM', reason: 'Cancelled' });
    expect(exit.message).toBe('cancelled by its owner; killed by SIGTERM');
    await waitFor('every process of the tree to die', () => tree.every((pid) => !isAlive(pid)));
  });

  it('sends SIGKILL after the grace time to a task that ignores SIGTERM', async () => {
    const { sink, running } = await run([
      'sh',
      '-c',
      'trap "" TERM; sleep 100 & echo "pid $!"; echo "pid $$"; wait',
    ]);
    await waitFor('pids printed', () => printedPids(sink).length === 2);
    const tree = printedPids(sink);
    const stopAt = Date.now();
    const exit = await running.stop(300, 'Cancelled');
    expect(Date.now() - stopAt).toBeGreaterThanOrEqual(290);
    expect(exit).toMatchObject({
      exitCode: -1,
      signal: 'SIGKILL',
      reason: 'Cancelled',
      message: 'cancelled; killed by SIGKILL',
    });
    await waitFor('every process of the tree to die', () => tree.every((pid) => !isAlive(pid)));
  });

  it('kills what the main process leaves behind in its group when it exits', async () => {
    const { sink, running } = await run(['sh', '-c', 'sleep 100 & echo "pid $!"']);
    const exit = await running.exit;
    expect(exit).toMatchObject({ exitCode: 0, reason: '' });
    const [orphan] = printedPids(sink);
    await waitFor('the background sleep to die', () => !isAlive(orphan!));
  });

  it('stops a task at its time limit', async () => {
    const { running } = await run(['sleep', '100'], { timeLimitMs: 200 });
    const exit = await running.exit;
    expect(exit).toMatchObject({ exitCode: -1, signal: 'SIGTERM', reason: 'TimeLimit' });
    expect(exit.message).toBe('exceeded its time limit of 0.2 s; killed by SIGTERM');
  });

  it('reports a program that does not exist as StartFailed, naming it', async () => {
    const { sink, running } = await run(['no-such-program-gantry', '--flag']);
    const exit = await running.exit;
    expect(exit).toEqual({
      exitCode: -1,
      signal: '',
      reason: 'StartFailed',
      message: 'cannot start "no-such-program-gantry": not found on the agent\'s PATH (ENOENT)',
    });
    expect(sink.events).toEqual([{ type: 'exited', ...exit }]);
  });

  it('reports a file that is not executable as StartFailed', async () => {
    const file = join(stateDir, 'not-executable.sh');
    writeFileSync(file, 'echo hi\n');
    chmodSync(file, 0o644);
    const { running } = await run([file]);
    await expect(running.exit).resolves.toMatchObject({
      reason: 'StartFailed',
      message: `cannot start "${file}": permission denied (not executable?) (EACCES)`,
    });
  });

  it('reports a missing working directory as StartFailed', async () => {
    const { running } = await run(['true'], { workingDir: join(stateDir, 'missing') });
    await expect(running.exit).resolves.toMatchObject({
      reason: 'StartFailed',
      message: `working directory ${join(stateDir, 'missing')} does not exist on this node`,
    });
  });

  it('a restarted agent kills the tasks its crashed predecessor left running', async () => {
    const { sink } = await run(['sh', '-c', 'sleep 100 & echo "pid $!"; echo "pid $$"; wait']);
    await waitFor('pids printed', () => printedPids(sink).length === 2);
    const tree = printedPids(sink);
    expect(readdirSync(join(stateDir, 'process-groups'))).toHaveLength(1);
    // A new backend on the same state dir is what an agent restarted after a crash creates.
    const successor = new ProcessBackend({ stateDir, baseEnv, killGraceMs: 1000, log: silent });
    const reaped = await successor.reapOrphans();
    expect(reaped).toHaveLength(1);
    expect(reaped[0]).toMatchObject({ pgid: tree[1], taskId: 'task-1', attempt: 2 });
    expect([...reaped[0]!.killed].sort()).toEqual([...tree].sort());
    await waitFor('the orphaned tree to die', () => tree.every((pid) => !isAlive(pid)));
    expect(existsSync(join(stateDir, 'process-groups', `${tree[1]}.json`))).toBe(false);
  });
});
