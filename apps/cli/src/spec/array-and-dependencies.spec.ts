import { ValidationError } from '@gantry/domain';
import { DependencyCondition } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { conditionName, parseAfter, parseArray, protoCondition } from './array-and-dependencies';
import { specFromFlags } from './job-spec-input';
import { toProtoSpec } from './proto-spec';

const A = 'job_01jd8zq3m2x7abcdefghjkmnpq';
const B = 'job_01jd8zq3m2x7abcdefghjkmnpr';

describe('parseAfter', () => {
  it('reads JOB as after-ok and JOB:ok|any|failed, repeated or comma-separated', () => {
    expect(parseAfter([A, `${B}:any`])).toEqual([
      { job_id: A, condition: 'after-ok' },
      { job_id: B, condition: 'after-any' },
    ]);
    expect(parseAfter([`${A}:failed,${B}:OK`, ' '])).toEqual([
      { job_id: A, condition: 'after-failed' },
      { job_id: B, condition: 'after-ok' },
    ]);
    expect(parseAfter([`${A}:after-any`])).toEqual([{ job_id: A, condition: 'after-any' }]);
    expect(parseAfter(undefined)).toEqual([]);
  });

  it.each([`${A}:done`, ':ok', `${A}:`])('rejects %j naming the form', (value) => {
    expect(() => parseAfter([value])).toThrow(UsageError);
    expect(() => parseAfter([value])).toThrow(
      `--after: expected JOB[:ok|any|failed] (got '${value}')`,
    );
  });
});

describe('parseArray', () => {
  it.each([
    ['0-99', { first: 0, last: 99 }],
    [' 5 - 7 ', { first: 5, last: 7 }],
    ['3', { first: 3, last: 3 }],
  ])('reads %j', (text, range) => {
    expect(parseArray(text)).toEqual(range);
  });

  it('is undefined without --array', () => {
    expect(parseArray(undefined)).toBeUndefined();
  });

  it.each(['a-b', '-1-3', '1,2,3', '', '0-99%4'])('rejects %j as usage', (text) => {
    expect(() => parseArray(text)).toThrow(UsageError);
    expect(() => parseArray(text)).toThrow('--array: must be FIRST-LAST like 0-99');
  });

  it("checks the range with the server's rule", () => {
    expect(() => parseArray('9-3')).toThrow(ValidationError);
    expect(() => parseArray('9-3')).toThrow('must be first-last with 0 <= first <= last');
    expect(() => parseArray('0-10000')).toThrow('has 10001 elements; at most 10000 are allowed');
  });
});

describe('conditions', () => {
  it('maps each condition to the protobuf enum and back', () => {
    for (const condition of ['after-ok', 'after-any', 'after-failed'] as const)
      expect(conditionName(protoCondition(condition))).toBe(condition);
    expect(protoCondition('after-failed')).toBe(
      DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED,
    );
    expect(conditionName(DependencyCondition.DEPENDENCY_CONDITION_UNSPECIFIED)).toBe('after-ok');
  });
});

describe('submit flags for classes and dependencies', () => {
  it('carries --class and --after into the spec and the protobuf message', () => {
    const spec = specFromFlags({ class: 'serving', after: [A, `${B}:failed`] }, ['true']);
    expect(spec.priorityClass).toBe('serving');
    expect(spec.dependencies).toEqual([
      { jobId: A, condition: 'after-ok' },
      { jobId: B, condition: 'after-failed' },
    ]);
    expect(toProtoSpec(spec)).toMatchObject({
      priorityClass: 'serving',
      dependencies: [
        { jobId: A, condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK },
        { jobId: B, condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED },
      ],
    });
  });

  it.each([
    [{ class: 'Serving!' }, 'spec.priority_class: must be 1-63 lower-case letters'],
    [{ after: ['job_x'] }, 'spec.dependencies[0].job_id: must be a job id (job_...)'],
    [{ after: [A, `${A}:any`] }, `spec.dependencies[1].job_id: names ${A} twice`],
  ])('rejects %j with the server message', (flags, message) => {
    expect(() => specFromFlags(flags, ['true'])).toThrow(ValidationError);
    expect(() => specFromFlags(flags, ['true'])).toThrow(message);
  });
});
