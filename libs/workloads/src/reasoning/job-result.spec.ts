import { parseJobSpec, type InferenceReasoningWorkload } from '@gantry/domain';
import { chatAnswer, FakeInferenceClient } from '../testing/fake-inference-client';
import { boxedAnswer, FakeExactAnswerVerifier } from '../testing/fake-verifier';
import { runReasoning } from './executor';
import { reasoningJobResult, reasoningResultJson } from './result';
import { InProcessStepCache } from './step-cache';

function reasoning(fields: Record<string, unknown>): InferenceReasoningWorkload {
  const spec = parseJobSpec({
    resources: { gpus: 1 },
    inference_reasoning: { model: 'm', question: 'What is 17 * 23?', answer: '391', ...fields },
  });
  return spec.workload as InferenceReasoningWorkload;
}

/** Seeds 0 and 1 answer 391, seed 2 answers 390. */
const client = () =>
  new FakeInferenceClient(
    chatAnswer((call) => `\\boxed{${(call.body.seed as number) < 2 ? 391 : 390}}`, 7),
  );

const run = (spec: InferenceReasoningWorkload) =>
  runReasoning(spec, {
    client: client(),
    cache: new InProcessStepCache(),
    verifierFor: () => new FakeExactAnswerVerifier(),
    extractAnswer: boxedAnswer,
  });

describe('reasoningJobResult', () => {
  it('maps a finished run: no verifier judged the answer, the vote step has its answer', async () => {
    const spec = reasoning({
      steps: [
        { id: 'draft', sample: { n: 3, prompt: '{{question}}' } },
        { id: 'final', vote: { input: 'draft' } },
      ],
    });
    const result = await run(spec);
    expect(reasoningJobResult(result)).toEqual({
      kind: 'reasoning',
      answer: '391',
      accepted: null,
      stoppedEarly: false,
      callsMade: 3,
      callsSavedCache: 0,
      callsSavedInflight: 0,
      tokens: 21,
      steps: [
        { id: 'draft', items: 3, calls: 3, answer: null, accepted: 0, ran: true },
        { id: 'final', items: 1, calls: 0, answer: '391', accepted: 0, ran: true },
      ],
      stopReason: '',
    });
    expect(reasoningResultJson(result)['steps']).toContainEqual(
      expect.objectContaining({ id: 'final', answer: '391' }),
    );
  });

  it('maps an early stop: accepted, the stop code, steps that never ran', async () => {
    const spec = reasoning({
      max_concurrency: 1,
      steps: [
        { id: 'draft', sample: { n: 3, prompt: '{{question}}' } },
        {
          id: 'check',
          verify: { input: 'draft', verifier: 'exact-answer', stop_when_accepted: true },
        },
        { id: 'best', select: { input: 'draft', by: 'check' } },
      ],
      output: 'check',
    });
    const mapped = reasoningJobResult(await run(spec));
    expect(mapped).toMatchObject({
      answer: '391',
      accepted: true,
      stoppedEarly: true,
      stopReason: 'accepted',
    });
    expect(mapped.steps.find((s) => s.id === 'check')).toMatchObject({ accepted: 1, ran: true });
    expect(mapped.steps.find((s) => s.id === 'best')).toEqual({
      id: 'best',
      items: 0,
      calls: 0,
      answer: null,
      accepted: 0,
      ran: false,
    });
  });
});
