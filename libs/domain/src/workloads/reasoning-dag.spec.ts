import { parseJobSpec } from '../job-spec';
import { reasoningInput, violationsOf } from '../testing/workload-specs';
import type { ReasoningStep } from './reasoning-steps';
import { stepDependencies } from './reasoning-dag';

const at = (rest: string) => `spec.inference_reasoning${rest}`;

/** The violations of a DAG of these steps (output: the last step unless given). */
function dagViolations(steps: unknown[], fields: Record<string, unknown> = {}) {
  return violationsOf(reasoningInput({ steps, output: undefined, ...fields }));
}

const sample = (id: string, prompt = '{{question}}') => ({ id, sample: { prompt } });

describe('reasoning DAG validation', () => {
  it('accepts steps listed in any order (they run in dependency order)', () => {
    const spec = parseJobSpec(
      reasoningInput({
        steps: [
          { id: 'final', vote: { input: 'more' } },
          { id: 'more', refine: { input: 'draft', prompt: '{{item}} {{draft}}' } },
          sample('draft'),
        ],
        output: 'final',
      }),
    );
    expect(spec.workload.kind).toBe('inference_reasoning');
  });

  it('names a duplicate id and where it was first used', () => {
    expect(dagViolations([sample('a'), sample('b'), sample('a')])).toEqual([
      { field: at('.steps[2].id'), message: '"a" is also the id of steps[0]' },
    ]);
  });

  it('rejects the template variables as step ids', () => {
    expect(dagViolations([sample('question', 'hi'), sample('b', 'hi')])).toEqual([
      { field: at('.steps[0].id'), message: '"question" is reserved (a template variable)' },
    ]);
  });

  it('names an unknown input with the message of the doc', () => {
    expect(
      dagViolations([sample('a'), { id: 'b', refine: { input: 'drafts', prompt: '{{item}}' } }]),
    ).toEqual([
      { field: at('.steps[1].refine.input'), message: 'names "drafts", which is not a step' },
    ]);
  });

  it('names unknown inputs of verify and vote steps', () => {
    expect(
      dagViolations([
        sample('a'),
        { id: 'v', verify: { input: 'x', verifier: 'exact-answer' } },
        { id: 'w', vote: { input: 'y' } },
      ]),
    ).toEqual([
      { field: at('.steps[1].verify.input'), message: 'names "x", which is not a step' },
      { field: at('.steps[2].vote.input'), message: 'names "y", which is not a step' },
    ]);
  });

  it('names an unknown template reference', () => {
    expect(dagViolations([sample('a', 'Draft: {{ drafts }}')])).toEqual([
      { field: at('.steps[0].sample.prompt'), message: 'uses {{drafts}}, which is not a step' },
    ]);
  });

  it('rejects {{item}} outside refine', () => {
    expect(dagViolations([sample('a', 'Improve {{item}}')])).toEqual([
      {
        field: at('.steps[0].sample.prompt'),
        message: 'uses {{item}}, which only a refine prompt may use',
      },
    ]);
  });

  it('rejects a select whose by is not a verify step, or verifies another input', () => {
    expect(
      dagViolations([
        sample('a'),
        sample('b'),
        { id: 'v', verify: { input: 'b', verifier: 'exact-answer' } },
        { id: 's1', select: { input: 'a', by: 'b' } },
        { id: 's2', select: { input: 'a', by: 'v' } },
        { id: 's3', select: { input: 'a', by: 'nope' } },
      ]),
    ).toEqual([
      {
        field: at('.steps[3].select.by'),
        message: 'names "b", a sample step; it must be a verify step of "a"',
      },
      {
        field: at('.steps[4].select.by'),
        message: 'names "v", a verify step of "b"; it must verify "a"',
      },
      { field: at('.steps[5].select.by'), message: 'names "nope", which is not a step' },
    ]);
  });

  it('rejects an output that names no step', () => {
    expect(dagViolations([sample('a')], { output: 'final' })).toEqual([
      { field: at('.output'), message: 'names "final", which is not a step' },
    ]);
  });

  it('rejects an exact-answer verify when there is no reference answer', () => {
    expect(
      dagViolations([sample('a'), { id: 'v', verify: { input: 'a', verifier: 'exact-answer' } }], {
        answer: '',
      }),
    ).toEqual([
      {
        field: at('.steps[1].verify.verifier'),
        message: 'exact-answer needs the reference answer (inference_reasoning.answer)',
      },
    ]);
  });

  it('names a cycle through inputs, from its earliest step, in data-flow order', () => {
    expect(
      dagViolations([
        sample('start'),
        { id: 'a', refine: { input: 'c', prompt: '{{item}}' } },
        { id: 'b', refine: { input: 'a', prompt: '{{item}}' } },
        { id: 'c', refine: { input: 'b', prompt: '{{item}}' } },
      ]),
    ).toEqual([{ field: at('.steps[1]'), message: 'is in a cycle: a -> b -> c -> a' }]);
  });

  it('names a cycle through a template reference and a step that names itself', () => {
    expect(
      dagViolations([
        sample('a', '{{b}}'),
        { id: 'b', vote: { input: 'a' } },
        { id: 'c', refine: { input: 'c', prompt: '{{item}}' } },
      ]),
    ).toEqual([
      { field: at('.steps[0]'), message: 'is in a cycle: a -> b -> a' },
      { field: at('.steps[2]'), message: 'is in a cycle: c -> c' },
    ]);
  });

  it('reports every graph problem at once', () => {
    const found = dagViolations(
      [sample('a', '{{item}}'), sample('a'), { id: 'v', vote: { input: 'zz' } }],
      { output: 'none' },
    );
    expect(found.map((v) => v.field)).toEqual([
      at('.steps[1].id'),
      at('.steps[0].sample.prompt'),
      at('.steps[2].vote.input'),
      at('.output'),
    ]);
  });

  it('lists a step dependencies: input, by and template references, each once', () => {
    const refine: ReasoningStep = {
      id: 'r',
      kind: 'refine',
      input: 'a',
      prompt: '{{question}} {{item}} {{b}} {{a}} {{b}}',
      n: 1,
      sampling: { temperature: 1, topP: 1, maxTokens: 1, seed: 0 },
      chat: true,
    };
    expect(stepDependencies(refine)).toEqual(['a', 'b']);
    expect(stepDependencies({ id: 's', kind: 'select', input: 'a', by: 'v' })).toEqual(['a', 'v']);
  });
});
