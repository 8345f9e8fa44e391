import { ValidationError } from '@gantry/domain';
import { dispatchJobId, parseDispatchJobId } from './dispatch-job-id';

describe('dispatch job ids', () => {
  it.each([
    ['run', 'job_01jd8z0k3v4w5x6y7z8a9b0c1d', 1],
    ['stop', 'job_01jd8z0k3v4w5x6y7z8a9b0c1d', 12],
    ['run', 'has:colons:and.dots', 3],
    ['stop', '12345', 2],
    ['run', 'spaces and %25 percent', 1],
  ] as const)('round-trips (%s, %s, %d)', (kind, jobId, attempt) => {
    const id = dispatchJobId(kind, jobId, attempt);
    expect(parseDispatchJobId(id)).toEqual({ kind, jobId, attempt, rank: 0 });
  });

  it.each([
    ['run', 'job_a', 1, 3],
    ['stop', 'job.with.dots', 2, 1],
  ] as const)(
    'round-trips a rank of a multi-node job (%s, %s, %d, %d)',
    (kind, jobId, attempt, rank) => {
      const id = dispatchJobId(kind, jobId, attempt, rank);
      expect(parseDispatchJobId(id)).toEqual({ kind, jobId, attempt, rank });
    },
  );

  it('keeps the single-node form for rank 0', () => {
    expect(dispatchJobId('run', 'job_a', 2, 0)).toBe('run.job_a.2');
    expect(dispatchJobId('run', 'job_a', 2, 1)).toBe('run.job_a.2.1');
  });

  it('makes ids BullMQ accepts: no colon, never an integer', () => {
    const id = dispatchJobId('run', '42:7', 3);
    expect(id).not.toContain(':');
    expect(`${parseInt(id, 10)}`).not.toBe(id);
    expect(dispatchJobId('stop', '42', 1)).toBe('stop.42.1');
  });

  it('gives different ids to different orders', () => {
    const ids = new Set([
      dispatchJobId('run', 'job_a', 1),
      dispatchJobId('run', 'job_a', 2),
      dispatchJobId('stop', 'job_a', 1),
      dispatchJobId('run', 'job_a.1', 1),
      dispatchJobId('run', 'job_b', 1),
      dispatchJobId('run', 'job_a', 1, 1),
      dispatchJobId('run', 'job_a', 1, 2),
    ]);
    expect(ids.size).toBe(7);
  });

  it.each([
    ['', 'run', 1, 'jobId'],
    ['job_a', 'run', 0, 'attempt'],
    ['job_a', 'run', 1.5, 'attempt'],
    ['job_a', 'start', 1, 'kind'],
    ['job_a', 'run', 1, 'rank', -1],
    ['job_a', 'run', 1, 'rank', 0.5],
  ])('rejects jobId %j kind %j attempt %d naming %s', (jobId, kind, attempt, field, rank = 0) => {
    expect(() => dispatchJobId(kind as 'run', jobId, attempt, rank)).toThrow(ValidationError);
    try {
      dispatchJobId(kind as 'run', jobId, attempt, rank);
    } catch (error) {
      expect((error as ValidationError).violations[0]?.field).toBe(field);
    }
  });

  it.each([
    '',
    'run',
    'run.job',
    'run..1',
    'start.job.1',
    'run.job.0',
    'run.job.x',
    'run.%E0%A4%A.1',
    'run.a:b.1',
    'run.job.1.0',
    'run.job.1.-1',
    'run.job.1.2.3',
  ])('does not parse %j', (id) => {
    expect(parseDispatchJobId(id)).toBeUndefined();
  });
});
