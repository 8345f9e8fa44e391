import { arrayElementSpec, arrayIndices } from './arrays';
import { dependencyVerdict } from './dependencies';
import { ValidationError } from './errors';
import { parseJobSpec } from './job-spec';
import type { JobState } from './job-state';

const A = 'job_01jd8zq3m2x7aaaaaaaaaaaaaa';
const B = 'job_01jd8zq3m2x7bbbbbbbbbbbbbb';

describe('dependencyVerdict', () => {
  it.each<[string, 'after-ok' | 'after-any' | 'after-failed', JobState, string]>([
    ['after-ok, succeeded', 'after-ok', 'succeeded', 'ready'],
    ['after-ok, running', 'after-ok', 'running', 'waiting'],
    ['after-ok, failed', 'after-ok', 'failed', 'never'],
    ['after-ok, cancelled', 'after-ok', 'cancelled', 'never'],
    ['after-any, failed', 'after-any', 'failed', 'ready'],
    ['after-any, pending', 'after-any', 'pending', 'waiting'],
    ['after-failed, failed', 'after-failed', 'failed', 'ready'],
    ['after-failed, cancelled', 'after-failed', 'cancelled', 'ready'],
    ['after-failed, succeeded', 'after-failed', 'succeeded', 'never'],
  ])('%s', (_name, condition, state, kind) => {
    expect(dependencyVerdict([{ jobId: A, condition }], new Map([[A, state]])).kind).toBe(kind);
  });

  it('needs every dependency, says what it waits for, and treats a vanished job as never', () => {
    const deps = [
      { jobId: A, condition: 'after-ok' as const },
      { jobId: B, condition: 'after-any' as const },
    ];
    expect(
      dependencyVerdict(
        deps,
        new Map<string, JobState>([
          [A, 'succeeded'],
          [B, 'running'],
        ]),
      ),
    ).toEqual({ kind: 'waiting', message: `waiting for ${B} (after-any, now running)` });
    expect(dependencyVerdict(deps, new Map<string, JobState>([[A, 'succeeded']]))).toEqual({
      kind: 'never',
      message: `${B} no longer exists`,
    });
  });

  it('is parsed from the spec with after-ok by default, and duplicates are named', () => {
    expect(
      parseJobSpec({ command: { argv: ['x'] }, dependencies: [{ job_id: A }] }).dependencies,
    ).toEqual([{ jobId: A, condition: 'after-ok' }]);
    expect(() =>
      parseJobSpec({
        command: { argv: ['x'] },
        dependencies: [{ job_id: A }, { job_id: A, condition: 'after-any' }],
      }),
    ).toThrow(`spec.dependencies[1].job_id: names ${A} twice`);
    expect(() =>
      parseJobSpec({ command: { argv: ['x'] }, dependencies: [{ job_id: 'nope' }] }),
    ).toThrow('spec.dependencies[0].job_id: must be a job id (job_...)');
  });
});

describe('job arrays', () => {
  it('lists the indices, both ends included', () => {
    expect(arrayIndices(0, 3)).toEqual([0, 1, 2, 3]);
    expect(arrayIndices(7, 7)).toEqual([7]);
  });

  it.each([
    [3, 1, 'must be first-last with 0 <= first <= last (got 3-1)'],
    [-1, 4, 'must be first-last with 0 <= first <= last (got -1-4)'],
    [0, 10_000, 'has 10001 elements; at most 10000 are allowed'],
  ])('rejects %i-%i', (first, last, message) => {
    expect(() => arrayIndices(first, last)).toThrow(ValidationError);
    expect(() => arrayIndices(first, last)).toThrow(`array: ${message}`);
  });

  it('gives each element its index in its name and environment', () => {
    const element = arrayElementSpec(
      parseJobSpec({ name: 'sweep', command: { argv: ['train'], env: { LR: '1' } } }),
      'job_arr',
      4,
    );
    expect(element.name).toBe('sweep[4]');
    expect(element.workload).toEqual({
      kind: 'command',
      argv: ['train'],
      env: { LR: '1', GANTRY_ARRAY_ID: 'job_arr', GANTRY_ARRAY_INDEX: '4' },
      workingDir: null,
    });
  });
});

describe('array environment', () => {
  it('lets an element carry GANTRY_ARRAY_* while other GANTRY_ names stay reserved', () => {
    expect(
      parseJobSpec({
        command: { argv: ['x'], env: { GANTRY_ARRAY_INDEX: '3', GANTRY_ARRAY_ID: 'job_a' } },
      }).workload,
    ).toMatchObject({ env: { GANTRY_ARRAY_INDEX: '3' } });
    expect(() => parseJobSpec({ command: { argv: ['x'], env: { GANTRY_ATTEMPT: '1' } } })).toThrow(
      'spec.command.env.GANTRY_ATTEMPT: is set by the agent',
    );
  });
});
