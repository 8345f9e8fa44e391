import { NotFoundError, UnavailableError } from '@gantry/domain';
import { command, flush, setUp } from '../testing/supervisor-fakes';

const cancelled = (graceMs: number | null, message: string) =>
  ({ graceMs, message, reason: 'Cancelled' }) as const;
const preempted = (graceMs: number | null) =>
  ({ graceMs, message: 'preempted', reason: 'Preempted' }) as const;

describe('TaskSupervisor: stopping tasks', () => {
  it('cancels with the grace period asked for, else the configured one', async () => {
    const { backend, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    await supervisor.run(command('t2', 1));
    expect(
      supervisor.cancel(command('t1', 1).ref, cancelled(500, 'cancelled: by owner')),
    ).toMatchObject({
      phase: 'stopping',
    });
    supervisor.cancel({ taskId: 't2', jobId: '', attempt: 0 }, cancelled(null, 'cancelled'));
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 500, reason: 'Cancelled', message: 'cancelled: by owner' },
    ]);
    expect(backend.tasks[1]!.stops).toEqual([
      { graceMs: 7_000, reason: 'Cancelled', message: 'cancelled' },
    ]);
  });

  it('preempts: the stop carries reason Preempted, and so does the exit it reports', async () => {
    const { backend, outbox, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    supervisor.cancel(command('t1', 1).ref, preempted(30_000));
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 30_000, reason: 'Preempted', message: 'preempted' },
    ]);
    backend.tasks[0]!.end({ exitCode: 0, reason: 'Preempted' });
    expect(outbox.events.at(-1)!.event).toMatchObject({ type: 'exited', reason: 'Preempted' });
  });

  it('reports a task preempted before it could start as Preempted', async () => {
    const { backend, outbox, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    await supervisor.run(command('t1', 2)); // waits for attempt 1 to stop
    supervisor.cancel(command('t1', 2).ref, preempted(null));
    backend.tasks[0]!.end({ reason: 'Cancelled' });
    await flush();
    expect(backend.tasks).toHaveLength(1);
    expect(outbox.events.at(-1)).toMatchObject({
      ref: command('t1', 2).ref,
      event: {
        type: 'exited',
        reason: 'Preempted',
        message: 'preempted; stopped before it started',
      },
    });
  });

  it('passes checkpoint events on to the outbox', async () => {
    const { backend, outbox, supervisor } = setUp();
    await supervisor.run(command('t1', 1));
    backend.tasks[0]!.emit({ type: 'checkpoint', message: 'step 500' });
    expect(outbox.events.at(-1)!.event).toEqual({ type: 'checkpoint', message: 'step 500' });
  });

  it('answers NOT_FOUND for a task or attempt it does not have', async () => {
    const { supervisor } = setUp();
    await supervisor.run(command('t1', 2));
    expect(() => supervisor.cancel(command('nope', 1).ref, cancelled(null, 'x'))).toThrow(
      NotFoundError,
    );
    expect(() => supervisor.cancel(command('t1', 1).ref, cancelled(null, 'x'))).toThrow(
      NotFoundError,
    );
  });

  it('passes on a stop that came while the backend was still starting the task', async () => {
    const { backend, supervisor } = setUp();
    backend.hold();
    const running = supervisor.run(command('t1', 1));
    await flush();
    supervisor.cancel(command('t1', 1).ref, cancelled(100, 'cancelled'));
    backend.release();
    await running;
    expect(backend.tasks[0]!.stops).toEqual([
      { graceMs: 100, reason: 'Cancelled', message: 'cancelled' },
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
});
