import { parseJobSpec } from '../job-spec';
import { A_JOB_ID, batchInput, shardInput, violationsOf } from '../testing/workload-specs';
import { isEngineWorkload, isInternalWorkload, isParentWorkload } from './workload-kinds';

describe('shard spec', () => {
  it('parses the control plane shard workload', () => {
    const spec = parseJobSpec(shardInput());
    expect(spec.workload).toEqual({
      kind: 'shard',
      parentJobId: A_JOB_ID,
      index: 1,
      count: 2,
      model: 'm',
      revision: 'main',
      engine: null,
      endpoint: '/v1/completions',
      requestsKey: `jobs/${A_JOB_ID}/requests.jsonl`,
      firstLine: 50,
      lineCount: 50,
      maxConcurrency: 32,
      outputPrefix: `jobs/${A_JOB_ID}/shards/1/`,
    });
    expect(spec.name).toBe('shard-1');
  });

  const field = (name: string) => `spec.shard.${name}`;
  it.each([
    [{ parent_job_id: 'job_1' }, field('parent_job_id'), 'must be a job id'],
    [{ index: 2 }, field('index'), 'must be less than count'],
    [{ count: 0 }, field('count'), 'must be at least 1'],
    [{ first_line: -1 }, field('first_line'), 'must be at least 0'],
    [{ line_count: 0 }, field('line_count'), 'must be at least 1'],
    [{ requests_key: '/abs/requests.jsonl' }, field('requests_key'), 'must be a storage key'],
    [{ requests_key: 'jobs/../x' }, field('requests_key'), 'must be a storage key'],
    [{ output_prefix: 'jobs/j/shards/1' }, field('output_prefix'), 'ending in "/"'],
    [{ output_prefix: 'jobs//1/' }, field('output_prefix'), 'must be a storage key prefix'],
    [{ endpoint: undefined }, field('endpoint'), 'is required'],
  ])('rejects %j at %s', (fields, at, message) => {
    expect(violationsOf(shardInput(fields))).toContainEqual({
      field: at,
      message: expect.stringContaining(message) as string,
    });
  });

  it('is the one internal workload', () => {
    expect(isInternalWorkload(parseJobSpec(shardInput()).workload)).toBe(true);
    expect(isInternalWorkload(parseJobSpec(batchInput()).workload)).toBe(false);
    expect(isInternalWorkload({ kind: 'command' })).toBe(false);
  });

  it('tells parents and engine workloads apart', () => {
    expect(['inference_batch', 'rl_synthetic'].map((kind) => isParentWorkload({ kind }))).toEqual([
      true,
      true,
    ]);
    expect(
      ['shard', 'inference_reasoning', 'command'].map((kind) => isParentWorkload({ kind })),
    ).toEqual([false, false, false]);
    expect(
      [
        'shard',
        'inference_reasoning',
        'inference_batch',
        'rl_synthetic',
        'command',
        'simulated',
      ].map((kind) => isEngineWorkload({ kind })),
    ).toEqual([true, true, true, true, false, false]);
  });
});

describe('one workload per spec', () => {
  it('names every workload set when more than one is', () => {
    expect(violationsOf({ ...shardInput(), command: { argv: ['x'] } })).toEqual([
      { field: 'spec.workload', message: 'set only one of command, shard' },
    ]);
  });
});
