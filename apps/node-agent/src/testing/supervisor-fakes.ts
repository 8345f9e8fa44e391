/**
 * Test doubles for the supervisor's unit tests: a backend whose tasks start, log and exit when
 * the test says, and an outbox that records what it gets.
 */
import { ManualClock, type Workload } from '@gantry/domain';
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
import { TaskSupervisor, type EventOutbox, type RunTaskCommand } from '../tasks/task-supervisor';

/** A task of the fake backend: the test decides when it starts, logs and exits. */
export class FakeTask implements RunningTask {
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
export class FakeBackend implements WorkerBackend {
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

export class RecordingOutbox implements EventOutbox {
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
export const command = (
  taskId: string,
  attempt: number,
  gpuIndices: number[] = [],
): RunTaskCommand => ({
  ref: { taskId, jobId: `job-${taskId}`, attempt },
  workload,
  gpuIndices,
  timeLimitMs: null,
});
export const flush = () => new Promise((resolve) => setImmediate(resolve));

export function setUp() {
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
