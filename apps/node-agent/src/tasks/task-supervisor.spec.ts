import {
  FailedPreconditionError,
  ManualClock,
  NotFoundError,
  UnavailableError,
  type Workload,
} from '@gantry/domain';
import { silentLogger } from '@gantry/observability';
import type {
  RunningTask,
  StartTaskRequest,
  StopReason,
  TaskAttemptRef,
  TaskExit,
  WorkerBackend,
  WorkerEvent,
} from '@gantry/workers';
import { TaskSupervisor, type EventOutbox, type RunTaskCommand } from './task-supervisor';

/** A task of the fake backend: the test decides when it starts, logs and exits. */
class FakeTask implements RunningTask {
  readonly exit: Promise<TaskExit>;
  readonly stops: { graceMs: number; reason: StopReason; message?: string }[] = [];
  private resolve!: (exit: TaskExit) => void;

  constructor(readonly request: StartTaskRequest) {
    this.exit = new Promise((resolve) => (this.resolve = resolve));
  }

  emit(event: WorkerEvent): void {
    this.request.sink.emit(event);
  }

  end(exit: Partial<TaskExit> = {}): void {
    const full: TaskExit = { exitCode: 0, signal: '', reason: '', message: 'done', ...exit };
    this.emit({ type: 'exited', ...full });
    this.resolve(full);
  }

  stop(graceMs: number, reason: StopReason, message?: string): Promise<TaskExit> {
    this.stops.push({ graceMs, reason, message });
    return this.exit;
  }
}

/** A backend whose tasks are FakeTasks; `hold` keeps start() pending until released. */
class FakeBackend implements WorkerBackend {
  readonly name = 'fake';
  readonly tasks: FakeTask[] = [];
  failWith: Error | undefined;
  private held: (() => void) | undefined;

  hold(): void {
    this.held = () => undefined;
  }

  release(): void {
    const release = this.held;
    this.held = undefined;
    release?.();
  }

  async start(request: StartTaskRequest): Promise<RunningTask> {
    if (this.failWith) throw this.failWith;
    if (this.held) await new Promise<void>((resolve) => (this.held = resolve));
    const task = new FakeTask(request);
    this.tasks.push(task);
    task.emit({ type: 'started', backend: 'fake', pid: 100 + this.tasks.length });
    return task;
  }
}

class RecordingOutbox implements EventOutbox {
  readonly events: { ref: TaskAttemptRef; event: WorkerEvent; time: number }[] = [];
  pending = new Set<string>();

  append(ref: TaskAttemptRef, event: WorkerEvent, time: number): void {
    this.events.push({ ref, event, time });
  }

  hasPending(ref: TaskAttemptRef): boolean {
    return this.pending.has(`${ref.taskId}/${ref.attempt}`);
  }

  types(taskId: string, attempt: number): string[] {
    return this.events
      .filter((e) => e.ref.taskId === taskId && e.ref.attempt === attempt)
      .map((e) => e.event.type);
  }
}

const workload: Workload = { kind: 'command', argv: ['true'], env: {}, workingDir: null };
const command = (taskId: string, attempt: number, gpuIndices: number[] = []): RunTaskCommand => ({
  ref: { taskId, jobId: `job-${taskId}`, attempt },
  workload,
  gpuIndices,
  timeLimitMs: null,
});
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setUp() {
  const backend = new FakeBackend();
  const outbox = new RecordingOutbox();
  const clock = new ManualClock(1_000);
  const supervisor = new TaskSupervisor({
    backendFor: () => backend,
    outbox,
    clock,
    log: silentLogger(),
    killGraceMs: 7_000,
    retainEnded: 2,
  });
  return { backend, outbox, clock, supervisor };
}

describe('TaskSupervisor', () => {
  it('starts a task once: a repeat of the same attempt answers created=false', async () => {
    const { backend, outbox, supervisor } = setUp();
    const first = await supervisor.run(command('t1', 1, [0]));
    expect(first).toEqual({
      created: true,
      status: { ref: command('t1', 1).ref, phase: 'running', gpuIndices: [0] },
    });
    const again = await supervisor.run(command('t1', 1, [0]));
    expect(again.created).toBe(false);
    expect(backend.tasks).toHaveLength(1);
    expect(outbox.events).toEqual([
      {
        ref: command('t1', 1).ref,
        event: { type: 'started', backend: 'fake', pid: 101 },
        time: 1_000,
      },
    ]);
  });

  it('answers a repeat of an attempt that already ended from memory, without running it again', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    backend.tasks[0]!.end({ exitCode: 3 });
    const again = await supervisor.run(command('t1', 1));
    expect(again).toMatchObject({ created: false, status: { phase: 'exited' } });
    expect(backend.tasks).toHaveLength(1);
  });

  it('refuses an attempt older than the one it has', async () => {
    const { supervisor } = setUp();
    await supervisor.run(command('t1', 3));
    await expect(supervisor.run(command('t1', 2))).rejects.toThrow(FailedPreconditionError);
    await expect(supervisor.run(command('t1', 2))).rejects.toThrow(
      'task t1 attempt 2 is older than attempt 3, which this agent already has',
    );
  });

  it('stops the older attempt before it starts a newer one, without holding the call', async () => {
    const { backend, outbox, supervisor } = setUp();
    await supervisor.run(command('t1', 1, [0]));
    const older = backend.tasks[0]!;
    const newer = await supervisor.run(command('t1', 2, [0]));
    expect(newer).toMatchObject({ created: true, status: { phase: 'starting' } });
    expect(older.stops).toEqual([
      { graceMs: 7_000, reason: 'Cancelled', message: 'replaced by attempt 2' },
    ]);
    await flush();
    expect(backend.tasks).toHaveLength(1); // not started while the older one still runs
    older.end({ exitCode: -1, signal: 'SIGTERM', reason: 'Cancelled' });
    await flush();
    expect(backend.tasks).toHaveLength(2);
    expect(backend.tasks[1]!.request.task.attempt).toBe(2);
    expect(outbox.types('t1', 1)).toEqual(['started', 'exited']);
    expect(outbox.types('t1', 2)).toEqual(['started']);
  });

  it('refuses GPUs another task uses, and gives them out once it has ended', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('a', 1, [0, 1]));
    await expect(supervisor.run(command('b', 1, [1, 2]))).rejects.toThrow(
      'gpu_indices: GPU 1 is in use by task a attempt 1 on this node',
    );
    backend.tasks[0]!.end();
    await expect(supervisor.run(command('b', 1, [1, 2]))).resolves.toMatchObject({ created: true });
  });

  it('cancels with the grace period asked for, else the configured one', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    await supervisor.run(command('t2', 1));
    expect(supervisor.cancel(command('t1', 1).ref, 500, 'cancelled: by owner')).toMatchObject({
      phase: 'stopping',
    });
    supervisor.cancel({ taskId: 't2', jobId: '', attempt: 0 }, null, 'cancelled');
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 500, reason: 'Cancelled', message: 'cancelled: by owner' },
    ]);
    expect(backend.tasks[1]!.stops).toEqual([
      { graceMs: 7_000, reason: 'Cancelled', message: 'cancelled' },
    ]);
  });

  it('answers NOT_FOUND for a task or attempt it does not have', async () => {
    const { supervisor } = setUp();
    await supervisor.run(command('t1', 2));
    expect(() => supervisor.cancel(command('nope', 1).ref, null, 'x')).toThrow(NotFoundError);
    expect(() => supervisor.cancel(command('t1', 1).ref, null, 'x')).toThrow(NotFoundError);
  });

  it('passes on a stop that came while the backend was still starting the task', async () => {
    const { backend, supervisor } = setUp();
    backend.hold();
    const running = supervisor.run(command('t1', 1));
    await flush();
    supervisor.cancel(command('t1', 1).ref, 100, 'cancelled');
    backend.release();
    await running;
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 100, reason: 'Cancelled', message: 'cancelled' },
    ]);
  });

  it('reports a backend that throws as a StartFailed exit', async () => {
    const { backend, outbox, supervisor } = setUp();
    backend.failWith = new Error('no such backend');
    const { status } = await supervisor.run(command('t1', 1));
    expect(status.phase).toBe('exited');
    expect(outbox.events.map((e) => e.event)).toEqual([
      {
        type: 'exited',
        exitCode: -1,
        signal: '',
        reason: 'StartFailed',
        message: 'cannot start: no such backend',
      },
    ]);
  });

  it('stops a stale attempt the outbox reports, and only that attempt', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    await supervisor.run(command('t2', 1));
    supervisor.stopStale(command('t1', 1).ref, 'attempt 1 is not current');
    expect(backend.tasks[0]!.stops).toHaveLength(1);
    expect(backend.tasks[0]!.stops[0]!.message).toBe(
      'the control plane rejected this attempt: attempt 1 is not current',
    );
    expect(backend.tasks[1]!.stops).toEqual([]);
  });

  it('reports running attempts, and ended ones until their events are delivered', async () => {
    const { backend, outbox, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    await supervisor.run(command('t2', 1));
    backend.tasks[0]!.end();
    outbox.pending.add('t1/1');
    expect(supervisor.snapshots().map((s) => [s.ref.taskId, s.phase])).toEqual([
      ['t2', 'running'],
      ['t1', 'exited'],
    ]);
    outbox.pending.clear();
    expect(supervisor.snapshots().map((s) => s.ref.taskId)).toEqual(['t2']);
  });

  it('on shutdown takes no new task and stops every running one as AgentShutdown', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    const done = supervisor.shutdown(2_000);
    await expect(supervisor.run(command('t2', 1))).rejects.toThrow(UnavailableError);
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 2_000, reason: 'AgentShutdown', message: 'the node agent is shutting down' },
    ]);
    backend.tasks[0]!.end({ reason: 'AgentShutdown' });
    await expect(done).resolves.toBeUndefined();
  });

  it('forgets the oldest ended attempts beyond its memory', async () => {
    const { backend, supervisor } = setUp();
    for (const id of ['a', 'b', 'c']) {
      await supervisor.run(command(id, 1));
      backend.tasks.at(-1)!.end();
    }
    expect((await supervisor.run(command('a', 1))).created).toBe(true);
    expect((await supervisor.run(command('c', 1))).created).toBe(false);
  });
});
