import { ManualClock } from './clock';
import { ValidationError } from './errors';
import { parseJobSpec } from './job-spec';
import { newJobRecords, submitHash, submittedEntry } from './submission';

const spec = parseJobSpec({ command: { argv: ['train'] }, queue: 'rl' });
const input = { tenantId: 'ten_1', spec, idempotencyKey: 'k1', now: 5_000 };

describe('newJobRecords', () => {
  it('makes one pending job with the key and the spec hash', () => {
    const [job, ...rest] = newJobRecords(new ManualClock(5_000), input);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({
      tenantId: 'ten_1',
      state: 'pending',
      reason: 'Submitted',
      message: 'waiting in queue rl for the scheduler',
      idempotencyKey: 'k1',
      specHash: submitHash(input),
      submittedAt: 5_000,
      arrayId: null,
    });
    expect(job!.id).toMatch(/^job_/);
    expect(submittedEntry(job!)).toMatchObject({ to: 'pending', message: 'submitted to queue rl' });
  });

  it('makes an array: ids in index order, the first id names it, only the first has the key', () => {
    const array = { first: 3, last: 5 };
    const jobs = newJobRecords(new ManualClock(5_000), { ...input, array });
    expect(jobs.map((j) => j.arrayIndex)).toEqual([3, 4, 5]);
    expect([...jobs.map((j) => j.id)].sort()).toEqual(jobs.map((j) => j.id));
    expect(jobs.every((j) => j.arrayId === jobs[0]!.id)).toBe(true);
    expect(jobs.map((j) => j.idempotencyKey)).toEqual(['k1', null, null]);
    expect(new Set(jobs.map((j) => j.specHash))).toEqual(
      new Set([submitHash({ ...input, array })]),
    );
    expect(submitHash({ ...input, array })).not.toBe(submitHash(input));
    expect(submittedEntry(jobs[1]!)).toMatchObject({
      message: `submitted to queue rl as element 4 of array ${jobs[0]!.id}`,
    });
  });

  it('takes an empty key as none, and refuses a malformed range', () => {
    expect(
      newJobRecords(new ManualClock(0), { ...input, idempotencyKey: '' })[0]!.idempotencyKey,
    ).toBeNull();
    expect(() =>
      newJobRecords(new ManualClock(0), { ...input, array: { first: 5, last: 3 } }),
    ).toThrow(ValidationError);
  });
});
