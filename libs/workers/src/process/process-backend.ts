import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '@gantry/domain';
import type { RunningTask, StartTaskRequest, TaskExit, WorkerBackend } from '../backend';
import { systemTimers, type Timers, type WorkerLog } from '../ports';
import { startFailure } from './exit-messages';
import { reapOrphans, signalProcess, type ReapedGroup } from './orphan-reaper';
import { OutputCapture } from './output-capture';
import { ProcessGroupRecords, signalGroup, type SignalGroup } from './process-groups';
import { procProcessTable, type ProcessTable } from './process-table';
import { ProcessTask } from './process-task';
import { taskEnvironment } from './task-environment';
import { attemptPaths } from './task-paths';

export type SpawnProcess = (program: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface ProcessBackendOptions {
  /** The agent's state dir: attempt dirs, log files and process-group records live here. */
  readonly stateDir: string;
  /** PATH, HOME and LANG for every task (from @gantry/config taskBaseEnvironment). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Grace between SIGTERM and SIGKILL when a time limit stops a task. */
  readonly killGraceMs: number;
  readonly log: WorkerLog;
  readonly timers?: Timers;
  readonly spawn?: SpawnProcess;
  readonly signalGroup?: SignalGroup;
  readonly processTable?: ProcessTable;
}

/**
 * Runs a job's command as a child process: argv as given (no shell), a fresh environment
 * (task-environment.ts), cwd the job's working_dir or `<state>/tasks/<task>/attempt-<n>/work`,
 * output to `.../output.log` and to `log` events, in a process group of its own so stop and
 * exit reach the whole tree. Each running task's group id is recorded under
 * `<state>/process-groups/` until the group is gone; `reapOrphans()` kills the groups a
 * crashed predecessor left behind.
 */
export class ProcessBackend implements WorkerBackend {
  readonly name = 'process';
  private readonly records: ProcessGroupRecords;
  private readonly timers: Timers;

  constructor(private readonly options: ProcessBackendOptions) {
    this.records = new ProcessGroupRecords(join(options.stateDir, 'process-groups'));
    this.timers = options.timers ?? systemTimers;
  }

  /** Kills tasks left running by a previous agent on this state dir; call before start(). */
  reapOrphans(): Promise<ReapedGroup[]> {
    const table = this.options.processTable ?? procProcessTable;
    return reapOrphans(this.records, table, signalProcess, this.options.log);
  }

  async start(request: StartTaskRequest): Promise<RunningTask> {
    const { workload, task, sink } = request;
    if (workload.kind !== 'command')
      throw ValidationError.field('spec.workload', 'the process backend runs only commands');
    const program = workload.argv[0]!;
    const paths = attemptPaths(this.options.stateDir, task);
    let cwd: string;
    try {
      await mkdir(paths.dir, { recursive: true });
      cwd = workload.workingDir ?? paths.workDir;
      if (workload.workingDir === null) await mkdir(cwd, { recursive: true });
      else if (!(await stat(cwd).catch(() => undefined))?.isDirectory())
        return failed(request, `working directory ${cwd} does not exist on this node`);
    } catch (error) {
      return failed(request, `cannot prepare the task's directory: ${(error as Error).message}`);
    }
    const output = new OutputCapture(
      sink,
      this.timers,
      createWriteStream(paths.logFile, { flags: 'a' }),
    );
    let child: ChildProcess;
    try {
      child = (this.options.spawn ?? nodeSpawn)(program, workload.argv.slice(1), {
        cwd,
        env: taskEnvironment(
          this.options.baseEnv,
          workload.env,
          request.gpuIndices,
          task,
          request.gang,
        ),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      await output.close();
      return failed(request, startFailure(program, error).message);
    }
    const pgid = child.pid;
    const recorded =
      pgid === undefined
        ? Promise.resolve()
        : this.records
            .write({ pgid, ...task, program, startedAt: Date.now() })
            .catch((error: unknown) => {
              this.options.log.error({ err: error, pgid }, 'cannot record a task process group');
            });
    return new ProcessTask({
      child,
      program,
      output,
      sink,
      timers: this.timers,
      signalGroup: this.options.signalGroup ?? signalGroup,
      timeLimitMs: request.timeLimitMs,
      killGraceMs: this.options.killGraceMs,
      release: () =>
        recorded.then(() => (pgid === undefined ? undefined : this.records.remove(pgid))),
    });
  }
}

/** A task that ended before it began: its only event is `exited` (StartFailed). */
function failed(request: StartTaskRequest, message: string): RunningTask {
  const exit: TaskExit = { exitCode: -1, signal: '', reason: 'StartFailed', message };
  request.sink.emit({ type: 'exited', ...exit });
  return { exit: Promise.resolve(exit), stop: () => Promise.resolve(exit) };
}
