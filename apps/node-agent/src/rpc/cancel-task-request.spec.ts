import { ValidationError } from '@gantry/domain';
import type { CancelTaskRequest } from '@gantry/proto';
import { parseCancelTask } from './cancel-task-request';

const task = { taskId: 'job_1', jobId: 'job_1', attempt: 2, rank: 0 };
const ref = { taskId: 'job_1', jobId: 'job_1', attempt: 2, rank: 0 };
const request = (overrides: Partial<CancelTaskRequest> = {}): CancelTaskRequest => ({
  task,
  gracePeriod: undefined,
  reason: '',
  ...overrides,
});

describe('parseCancelTask', () => {
  it.each([
    ['', 'Cancelled', 'cancelled'],
    ['Cancelled', 'Cancelled', 'cancelled'],
    ['Preempted', 'Preempted', 'preempted'],
    [' preempted ', 'Preempted', 'preempted'],
    ['PREEMPTED', 'Preempted', 'preempted'],
    ['by owner', 'Cancelled', 'cancelled: by owner'],
    ['Preemptedx', 'Cancelled', 'cancelled: Preemptedx'],
  ])('reads reason %j as %s (%j)', (reason, expected, message) => {
    expect(parseCancelTask(request({ reason }))).toEqual({
      ref,
      graceMs: null,
      reason: expected,
      message,
    });
  });

  it('takes the grace period asked for; zero means at once; none means the default', () => {
    const grace = (seconds: number, nanos = 0) =>
      parseCancelTask(request({ gracePeriod: { seconds, nanos } })).graceMs;
    expect(grace(30)).toBe(30_000);
    expect(grace(1, 500_000_000)).toBe(1_500);
    expect(grace(0)).toBe(0);
    expect(parseCancelTask(request()).graceMs).toBeNull();
  });

  it('names a missing task id', () => {
    expect(() => parseCancelTask(request({ task: undefined }))).toThrow(ValidationError);
    expect(() => parseCancelTask(request({ task: { ...task, taskId: '' } }))).toThrow(
      'task.task_id: is required',
    );
  });
});
