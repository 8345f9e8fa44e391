import { FailedPreconditionError } from '@gantry/domain';
import { command, flush, setUp } from '../testing/supervisor-fakes';

describe('TaskSupervisor: running tasks', () => {
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
