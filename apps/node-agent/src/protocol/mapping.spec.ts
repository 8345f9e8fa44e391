import { LogStream } from '@gantry/proto';
import type { WorkerEvent } from '@gantry/workers';
import { toTaskEvent } from './mapping';

const ref = { taskId: 't1', jobId: 'job_1', attempt: 2, rank: 0 };
const payload = (event: WorkerEvent) =>
  toTaskEvent({ ref, sequence: 3, time: 1_000, event }).payload;

describe('toTaskEvent', () => {
  it('numbers, stamps and names the attempt', () => {
    const event = toTaskEvent({
      ref,
      sequence: 3,
      time: 1_000,
      event: { type: 'log', stream: 'stderr', lines: ['x'] },
    });
    expect(event).toEqual({
      task: ref,
      sequence: 3,
      time: new Date(1_000),
      payload: {
        $case: 'log',
        log: { stream: LogStream.LOG_STREAM_STDERR, lines: ['x'], rank: 0 },
      },
    });
  });

  it('maps a checkpoint', () => {
    expect(payload({ type: 'checkpoint', message: 'step 500' })).toEqual({
      $case: 'checkpoint',
      checkpoint: { message: 'step 500' },
    });
  });

  it('maps an exit with reason Preempted', () => {
    const exit = {
      exitCode: -1,
      signal: 'SIGTERM',
      reason: 'Preempted',
      message: 'preempted',
    } as const;
    expect(payload({ type: 'exited', ...exit })).toEqual({ $case: 'exited', exited: exit });
  });
});
