import { ManualTimers } from '../testing/manual-timers';
import { RecordingSink } from '../testing/recording-sink';
import { LeaseHolderBackend } from './lease-holder';

const LEASE = `lease_${'0'.repeat(10)}${'c'.repeat(16)}`;

async function aHolder() {
  const timers = new ManualTimers();
  const sink = new RecordingSink();
  const stops: string[] = [];
  let finishTasks!: () => void;
  const tasksGone = new Promise<void>((resolve) => (finishTasks = resolve));
  const backend = new LeaseHolderBackend({
    timers,
    stopLeaseTasks: async (leaseId, why) => {
      stops.push(`${leaseId}: ${why}`);
      await tasksGone;
    },
  });
  const task = await backend.start({
    task: { taskId: 'job_l', jobId: 'job_l', attempt: 1 },
    workload: { kind: 'lease', leaseId: LEASE },
    gpuIndices: [2, 3],
    timeLimitMs: null,
    sink,
  });
  return { timers, sink, stops, finishTasks, task };
}

describe('the lease holder', () => {
  it('holds the GPUs without a process until stopped', async () => {
    const { sink } = await aHolder();
    expect(sink.events.map((e) => e.type)).toEqual(['started', 'log']);
    expect(sink.events[0]).toEqual({ type: 'started', backend: 'lease', pid: 0 });
  });

  it('keeps the GPUs for the notice, then stops the renter’s tasks and exits once they have', async () => {
    const { timers, sink, stops, finishTasks, task } = await aHolder();
    void task.stop(120_000, 'Preempted', 'internal work needs the GPUs');
    await Promise.resolve();
    expect(stops).toEqual([]); // the notice runs
    expect(
      sink.events.some((e) => e.type === 'log' && e.lines[0]!.includes('go back in 120 s')),
    ).toBe(true);
    timers.advance(119_999);
    await Promise.resolve();
    expect(stops).toEqual([]);
    timers.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toEqual([`${LEASE}: lease ${LEASE} reclaimed: internal work needs the GPUs`]);
    expect(sink.events.some((e) => e.type === 'exited')).toBe(false); // a renter task still runs
    finishTasks();
    expect(await task.exit).toMatchObject({ reason: 'Preempted', signal: 'SIGTERM' });
  });

  it('gives the GPUs back at once when the lease ends any other way, or when a second stop comes', async () => {
    const released = await aHolder();
    void released.task.stop(10_000, 'Cancelled', 'released by its renter');
    await new Promise((resolve) => setImmediate(resolve));
    expect(released.stops).toEqual([`${LEASE}: lease ${LEASE} ended: released by its renter`]);
    released.finishTasks();
    expect(await released.task.exit).toMatchObject({ reason: 'Cancelled' });

    const reclaimed = await aHolder();
    void reclaimed.task.stop(120_000, 'Preempted');
    void reclaimed.task.stop(5_000, 'Cancelled'); // the control plane ends the lease early
    await new Promise((resolve) => setImmediate(resolve));
    expect(reclaimed.stops).toHaveLength(1);
    reclaimed.finishTasks();
    expect(await reclaimed.task.exit).toMatchObject({ reason: 'Preempted' });
  });

  it('keeps the notice when the reclaim’s stop is delivered again', async () => {
    const { timers, stops, finishTasks, task } = await aHolder();
    void task.stop(6_000, 'Preempted', 'internal work needs the GPUs');
    timers.advance(1_000);
    void task.stop(6_000, 'Preempted', 'internal work needs the GPUs'); // the reconciler's resend
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toEqual([]);
    timers.advance(5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toHaveLength(1);
    finishTasks();
    expect(await task.exit).toMatchObject({ reason: 'Preempted' });
  });
});
