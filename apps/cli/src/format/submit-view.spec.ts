import { Job, JobState, type SubmitJobResponse } from '@gantry/proto';
import { renderSubmit } from './submit-view';

const job = Job.fromPartial({
  id: 'job_a0',
  state: JobState.JOB_STATE_PENDING,
  arrayId: 'job_a0',
  arrayIndex: 5,
});
const array: SubmitJobResponse = {
  job,
  created: true,
  arrayJobIds: ['job_a0', 'job_a1', 'job_a2'],
};
const single: SubmitJobResponse = { job: { ...job, arrayId: '' }, created: false, arrayJobIds: [] };
const base = { output: 'table', parsable: false, wait: false } as const;

describe('renderSubmit', () => {
  it('prints every element id, one per line, with --parsable', () => {
    expect(renderSubmit(array, { ...base, parsable: true }).stdout).toBe(
      'job_a0\njob_a1\njob_a2\n',
    );
    expect(renderSubmit(single, { ...base, parsable: true }).stdout).toBe('job_a0\n');
  });

  it('shows an array as a table of its elements by index', () => {
    const out = renderSubmit(array, { ...base, array: { first: 5, last: 7 } });
    expect(out.stdout.split('\n')).toEqual([
      'array job_a0: 3 jobs, indices 5-7, pending',
      'INDEX  ID',
      '    5  job_a0',
      '    6  job_a1',
      '    7  job_a2',
      '',
    ]);
    expect(out.stderr).toBe('');
  });

  it('prints the array ids in json, and leaves them out for one job', () => {
    const parsed = JSON.parse(renderSubmit(array, { ...base, output: 'json' }).stdout) as {
      arrayJobIds?: string[];
      created: boolean;
    };
    expect(parsed.arrayJobIds).toEqual(array.arrayJobIds);
    expect(parsed.created).toBe(true);
    expect(JSON.parse(renderSubmit(single, { ...base, output: 'json' }).stdout)).not.toHaveProperty(
      'arrayJobIds',
    );
  });

  it('says when an idempotency key returned an earlier job, on stderr with json --wait', () => {
    expect(renderSubmit(single, base).stdout).toBe(
      'job_a0 pending (an earlier submit with this idempotency key)\n',
    );
    const waiting = renderSubmit(single, { ...base, output: 'json', wait: true });
    expect(waiting.stdout).toBe('');
    expect(waiting.stderr).toMatch(/^job_a0 pending/);
  });

  it('refuses a reply without a job', () => {
    expect(() => renderSubmit({ created: true, arrayJobIds: [] }, base)).toThrow('has no job');
  });
});
