import { parseJobSpec } from '../job-spec';
import { reasoningInput, violationsOf } from '../testing/workload-specs';

describe('inference_reasoning spec', () => {
  it('parses the example of docs/job-kinds.md with every default', () => {
    const spec = parseJobSpec(reasoningInput({ cache: true, max_concurrency: 16 }));
    expect(spec.name).toBe('inference-reasoning');
    expect(spec.workload).toEqual({
      kind: 'inference_reasoning',
      model: 'Qwen/Qwen2.5-7B-Instruct',
      revision: 'main',
      engine: null,
      question: 'What is 17 * 23?',
      answer: '391',
      cache: true,
      maxConcurrency: 16,
      budget: { maxTokens: null, maxCalls: 4096 },
      output: 'final',
      steps: [
        {
          id: 'draft',
          kind: 'sample',
          prompt: '{{question}}',
          n: 8,
          sampling: { temperature: 0.8, topP: 1, maxTokens: 512, seed: 0 },
          chat: true,
        },
        {
          id: 'check',
          kind: 'verify',
          input: 'draft',
          verifier: 'exact-answer',
          stopWhenAccepted: true,
        },
        {
          id: 'improve',
          kind: 'refine',
          input: 'draft',
          prompt: 'Question: {{question}}\nDraft: {{item}}\nCheck the draft and answer again.',
          n: 1,
          sampling: { temperature: 0.2, topP: 1, maxTokens: 512, seed: 0 },
          chat: true,
        },
        { id: 'final', kind: 'vote', input: 'improve', method: 'majority' },
      ],
    });
  });

  it('defaults a sample step, the budget, cache and output (the last step)', () => {
    const spec = parseJobSpec(
      reasoningInput({
        answer: undefined,
        output: undefined,
        cache: false,
        budget: { max_tokens: 1000 },
        steps: [{ id: 'a', sample: { prompt: 'hi', chat: false } }],
      }),
    );
    expect(spec.workload).toMatchObject({
      answer: null,
      cache: false,
      maxConcurrency: 16,
      budget: { maxTokens: 1000, maxCalls: 4096 },
      output: 'a',
      steps: [
        {
          id: 'a',
          kind: 'sample',
          prompt: 'hi',
          n: 1,
          sampling: { temperature: 1, topP: 1, maxTokens: 1024, seed: 0 },
          chat: false,
        },
      ],
    });
  });

  it('parses a select step and a verify step without early stop', () => {
    const spec = parseJobSpec(
      reasoningInput({
        steps: [
          { id: 'a', sample: { prompt: '{{question}}', n: 4 } },
          { id: 'v', verify: { input: 'a', verifier: 'exact-answer' } },
          { id: 'best', select: { input: 'a', by: 'v' } },
        ],
        output: 'best',
      }),
    );
    expect(spec.workload).toMatchObject({
      steps: [
        { id: 'a' },
        { id: 'v', kind: 'verify', input: 'a', stopWhenAccepted: false },
        { id: 'best', kind: 'select', input: 'a', by: 'v' },
      ],
    });
  });

  const at = (rest: string) => `spec.inference_reasoning${rest}`;
  const steps = (...list: unknown[]) => ({ steps: list, output: undefined });
  it.each([
    [{ model: undefined }, at('.model'), 'is required'],
    [{ question: '' }, at('.question'), 'is required'],
    [{ question: 'q'.repeat(65_537) }, at('.question'), 'must be at most 65536 characters'],
    [{ cache: 'no' }, at('.cache'), 'must be true or false'],
    [{ max_concurrency: 0 }, at('.max_concurrency'), 'must be at least 1'],
    [{ budget: { max_calls: 0 } }, at('.budget.max_calls'), 'must be at least 1'],
    [{ budget: { max_tokens: -5 } }, at('.budget.max_tokens'), 'must be at least 1'],
    [{ budget: { max_time: 5 } }, at('.budget'), 'unknown field(s) max_time'],
    [{ steps: [] }, at('.steps'), 'must have at least one step'],
    [{ steps: undefined }, at('.steps'), 'is required'],
    [
      steps({ id: 'Draft', sample: { prompt: 'x' } }),
      at('.steps[0].id'),
      'must be 1-63 lower-case',
    ],
    [steps({ id: '1a', sample: { prompt: 'x' } }), at('.steps[0].id'), 'starting with a letter'],
    [
      steps({ id: 'a' }),
      at('.steps[0]'),
      'one of sample, refine, verify, vote, select is required',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x' }, vote: { input: 'a' } }),
      at('.steps[0]'),
      'set only one of sample, vote',
    ],
    [steps({ id: 'a', sample: {} }), at('.steps[0].sample.prompt'), 'is required'],
    [steps({ id: 'a', sample: { prompt: 'x', n: 0 } }), at('.steps[0].sample.n'), 'at least 1'],
    [
      steps({ id: 'a', sample: { prompt: 'x', n: 1025 } }),
      at('.steps[0].sample.n'),
      'at most 1024',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x', temperature: 3 } }),
      at('.steps[0].sample.temperature'),
      'must be at most 2',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x', top_p: 2 } }),
      at('.steps[0].sample.top_p'),
      'must be at most 1',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x', max_tokens: 0 } }),
      at('.steps[0].sample.max_tokens'),
      'must be at least 1',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x', stop: ['\n'] } }),
      at('.steps[0].sample'),
      'unknown field(s) stop',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x' } }, { id: 'b', refine: { input: 'a' } }),
      at('.steps[1].refine.prompt'),
      'is required',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x' } }, { id: 'v', verify: { input: 'a' } }),
      at('.steps[1].verify.verifier'),
      'must be exact-answer',
    ],
    [
      steps(
        { id: 'a', sample: { prompt: 'x' } },
        { id: 'v', verify: { input: 'a', verifier: 'unit-tests' } },
      ),
      at('.steps[1].verify.verifier'),
      'must be exact-answer',
    ],
    [
      steps(
        { id: 'a', sample: { prompt: 'x' } },
        { id: 'v', vote: { input: 'a', method: 'mean' } },
      ),
      at('.steps[1].vote.method'),
      'must be majority',
    ],
    [
      steps({ id: 'a', sample: { prompt: 'x' } }, { id: 's', select: { input: 'a' } }),
      at('.steps[1].select.by'),
      'is required',
    ],
  ])('rejects %j at %s', (fields, field, message) => {
    expect(violationsOf(reasoningInput(fields))).toContainEqual({
      field,
      message: expect.stringContaining(message) as string,
    });
  });

  it('rejects more than 64 steps', () => {
    const many = Array.from({ length: 65 }, (_, i) => ({ id: `s${i}`, sample: { prompt: 'x' } }));
    expect(violationsOf(reasoningInput({ steps: many, output: undefined }))).toEqual([
      { field: at('.steps'), message: 'must have at most 64 steps' },
    ]);
  });
});
