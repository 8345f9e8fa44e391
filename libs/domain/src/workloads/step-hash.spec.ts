import { createHash } from 'node:crypto';
import { renderTemplate, templateReferences, templateStepReferences } from './reasoning-templates';
import { stepCallHash, type StepCall } from './step-hash';

const base: StepCall = {
  model: 'Qwen/Qwen2.5-7B-Instruct',
  revision: 'main',
  endpoint: '/v1/chat/completions',
  messages: [{ role: 'user', content: 'What is 17 * 23?' }],
  sampling: { temperature: 0.8, topP: 1, maxTokens: 512, seed: 3 },
};

describe('stepCallHash', () => {
  it('is the sha256 of the canonical JSON of the call', () => {
    const canonical =
      '{"endpoint":"/v1/chat/completions","max_tokens":512,' +
      '"messages":[{"content":"What is 17 * 23?","role":"user"}],"model":"Qwen/Qwen2.5-7B-Instruct",' +
      '"revision":"main","seed":3,"temperature":0.8,"top_p":1,"v":1}';
    expect(stepCallHash(base)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on the order of keys', () => {
    const reordered: StepCall = {
      sampling: { seed: 3, maxTokens: 512, topP: 1, temperature: 0.8 },
      messages: [{ content: 'What is 17 * 23?', role: 'user' }],
      endpoint: '/v1/chat/completions',
      revision: 'main',
      model: 'Qwen/Qwen2.5-7B-Instruct',
    };
    expect(stepCallHash(reordered)).toBe(stepCallHash(base));
  });

  it.each<[string, Partial<StepCall>]>([
    ['model', { model: 'other' }],
    ['revision', { revision: 'v2' }],
    [
      'endpoint and prompt',
      { endpoint: '/v1/completions', messages: undefined, prompt: 'What is 17 * 23?' },
    ],
    ['messages', { messages: [{ role: 'user', content: 'What is 17 * 24?' }] }],
    ['seed', { sampling: { ...base.sampling, seed: 4 } }],
    ['temperature', { sampling: { ...base.sampling, temperature: 0.7 } }],
    ['top_p', { sampling: { ...base.sampling, topP: 0.9 } }],
    ['max_tokens', { sampling: { ...base.sampling, maxTokens: 511 } }],
  ])('changes with the %s', (_what, change) => {
    expect(stepCallHash({ ...base, ...change })).not.toBe(stepCallHash(base));
  });
});

describe('templates', () => {
  it('lists references once, in order, spaces allowed', () => {
    expect(
      templateReferences('{{question}} {{ draft }} {{item}} {{draft}} {{not a ref}} {x}'),
    ).toEqual(['question', 'draft', 'item']);
    expect(templateStepReferences('{{question}} {{ draft }} {{item}}')).toEqual(['draft']);
  });

  it('renders known references and leaves unknown ones as written', () => {
    const values: Record<string, string> = { question: 'Q?', draft: 'D' };
    expect(renderTemplate('{{question}} / {{ draft }} / {{other}}', (name) => values[name])).toBe(
      'Q? / D / {{other}}',
    );
  });

  it('inserts values literally, even with $ patterns', () => {
    expect(renderTemplate('x {{a}} y', () => "$& $1 $$ $'")).toBe("x $& $1 $$ $' y");
  });
});
