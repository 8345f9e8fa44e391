import { parseRolloutId, planRollouts, rolloutId } from './rollouts';

const problems = [
  { id: 'p1', prompt: 'What is 6 * 7?', answer: '42' },
  { id: 'p#2', prompt: 'What is 2 + 2?', answer: '4' },
];
const sampling = { temperature: 0.7, topP: 0.95, maxTokens: 256, seed: 100 };

describe('planRollouts', () => {
  it('makes K chat requests per problem, sample k seeded seed + k', () => {
    const requests = planRollouts(problems, {
      model: 'policy',
      endpoint: '/v1/chat/completions',
      samplesPerProblem: 3,
      sampling,
    });
    expect(requests.map((r) => [r.index, r.customId, r.body.seed])).toEqual([
      [0, 'p1#0', 100],
      [1, 'p1#1', 101],
      [2, 'p1#2', 102],
      [3, 'p#2#0', 100],
      [4, 'p#2#1', 101],
      [5, 'p#2#2', 102],
    ]);
    expect(requests[4]).toEqual({
      index: 4,
      customId: 'p#2#1',
      url: '/v1/chat/completions',
      body: {
        model: 'policy',
        messages: [{ role: 'user', content: 'What is 2 + 2?' }],
        temperature: 0.7,
        top_p: 0.95,
        max_tokens: 256,
        seed: 101,
      },
    });
  });

  it('sends the prompt as `prompt` to /v1/completions', () => {
    const [first] = planRollouts(problems.slice(0, 1), {
      model: 'policy',
      endpoint: '/v1/completions',
      samplesPerProblem: 1,
      sampling,
    });
    expect(first).toEqual({
      index: 0,
      customId: 'p1#0',
      url: '/v1/completions',
      body: {
        model: 'policy',
        prompt: 'What is 6 * 7?',
        temperature: 0.7,
        top_p: 0.95,
        max_tokens: 256,
        seed: 100,
      },
    });
  });

  it('reads a rollout custom_id back, ids with # included', () => {
    expect(parseRolloutId(rolloutId('p#2', 7))).toEqual({ problemId: 'p#2', k: 7 });
    expect(parseRolloutId('p1')).toBeNull();
    expect(parseRolloutId('#3')).toBeNull();
    expect(parseRolloutId('p1#x')).toBeNull();
    expect(parseRolloutId('p1#')).toBeNull();
  });
});
