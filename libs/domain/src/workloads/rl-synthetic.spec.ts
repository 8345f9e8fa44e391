import { parseJobSpec } from '../job-spec';
import { A_FILE_ID, rlInput, violationsOf } from '../testing/workload-specs';

describe('rl_synthetic spec', () => {
  it('applies every default of docs/job-kinds.md', () => {
    expect(parseJobSpec(rlInput()).workload).toEqual({
      kind: 'rl_synthetic',
      policyModel: 'Qwen/Qwen2.5-Math-7B',
      revision: 'main',
      engine: null,
      problemsFileId: A_FILE_ID,
      samplesPerProblem: 8,
      endpoint: '/v1/chat/completions',
      sampling: { temperature: 1, topP: 1, maxTokens: 1024, seed: 0 },
      verifier: 'exact-answer',
      verifierOptions: { timeLimitSeconds: 10, memoryLimitMb: 512 },
      keep: 'accepted',
      groupFilter: true,
      shards: 1,
      maxConcurrency: 32,
    });
  });

  it('keeps every field it is given', () => {
    const spec = parseJobSpec(
      rlInput({
        samples_per_problem: 4,
        endpoint: '/v1/completions',
        sampling: { temperature: 0.7, top_p: 0.95, max_tokens: 256, seed: 11 },
        verifier: 'unit-tests',
        verifier_options: { time_limit_seconds: 3, memory_limit_mb: 256 },
        keep: 'all',
        group_filter: false,
        shards: 3,
        max_concurrency: 64,
      }),
    );
    expect(spec.workload).toMatchObject({
      samplesPerProblem: 4,
      endpoint: '/v1/completions',
      sampling: { temperature: 0.7, topP: 0.95, maxTokens: 256, seed: 11 },
      verifier: 'unit-tests',
      verifierOptions: { timeLimitSeconds: 3, memoryLimitMb: 256 },
      keep: 'all',
      groupFilter: false,
      shards: 3,
      maxConcurrency: 64,
    });
  });

  it('keeps the sampling defaults it is not given', () => {
    expect(parseJobSpec(rlInput({ sampling: { temperature: 0 } })).workload).toMatchObject({
      sampling: { temperature: 0, topP: 1, maxTokens: 1024, seed: 0 },
    });
  });

  const field = (name: string) => `spec.rl_synthetic.${name}`;
  it.each([
    [{ policy_model: undefined }, field('policy_model'), 'is required'],
    [{ problems_file_id: 'file_short' }, field('problems_file_id'), 'must be a file id'],
    [{ samples_per_problem: 0 }, field('samples_per_problem'), 'must be at least 1'],
    [{ samples_per_problem: 1025 }, field('samples_per_problem'), 'must be at most 1024'],
    [{ endpoint: '/v1/models' }, field('endpoint'), 'must be /v1/chat/completions or'],
    [{ sampling: { temperature: 2.5 } }, field('sampling.temperature'), 'must be at most 2'],
    [{ sampling: { top_p: -0.1 } }, field('sampling.top_p'), 'must be at least 0'],
    [{ sampling: { max_tokens: 131_073 } }, field('sampling.max_tokens'), 'must be at most 131072'],
    [{ sampling: { seed: -1 } }, field('sampling.seed'), 'must be at least 0'],
    [{ sampling: { n: 2 } }, field('sampling'), 'unknown field(s) n'],
    [{ verifier: 'llm-judge' }, field('verifier'), 'must be exact-answer or unit-tests'],
    [
      { verifier_options: { time_limit_seconds: 0 } },
      field('verifier_options.time_limit_seconds'),
      'must be at least 1',
    ],
    [
      { verifier_options: { memory_limit_mb: 8 } },
      field('verifier_options.memory_limit_mb'),
      'must be at least 16',
    ],
    [{ keep: 'best' }, field('keep'), 'must be accepted or all'],
    [{ group_filter: 'yes' }, field('group_filter'), 'must be true or false'],
    [{ shards: 300 }, field('shards'), 'must be at most 256'],
  ])('rejects %j at %s', (fields, at, message) => {
    expect(violationsOf(rlInput(fields))).toContainEqual({
      field: at,
      message: expect.stringContaining(message) as string,
    });
  });
});
