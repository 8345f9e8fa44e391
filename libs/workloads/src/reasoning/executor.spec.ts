import {
  FailedPreconditionError,
  parseJobSpec,
  UnavailableError,
  type InferenceReasoningWorkload,
} from '@gantry/domain';
import type { InferenceCall } from '../ports';
import { chatAnswer, FakeInferenceClient, promptOf } from '../testing/fake-inference-client';
import { boxedAnswer, FakeExactAnswerVerifier } from '../testing/fake-verifier';
import { runReasoning, type ReasoningDeps } from './executor';
import { reasoningResultJson } from './result';
import { InProcessStepCache } from './step-cache';

const QUESTION = 'What is 17 * 23?';

/** A validated reasoning workload (parseJobSpec checks the DAG as the API would). */
function reasoning(fields: Record<string, unknown>): InferenceReasoningWorkload {
  const spec = parseJobSpec({
    resources: { gpus: 1 },
    inference_reasoning: { model: 'm', question: QUESTION, answer: '391', ...fields },
  });
  return spec.workload as InferenceReasoningWorkload;
}

const seedOf = (call: InferenceCall) => call.body.seed as number;
/** Seeds 2, 5, 8, ... answer right; others answer 380 + seed; a refine prompt always answers 391. */
const arithmetic = chatAnswer((call) => {
  const prompt = promptOf(call);
  if (prompt.startsWith('Fix:')) return `fixed: \\boxed{391}`;
  const seed = seedOf(call);
  return `I think \\boxed{${seed % 3 === 2 ? 391 : 380 + seed}}`;
}, 10);

function deps(client: FakeInferenceClient, extra: Partial<ReasoningDeps> = {}): ReasoningDeps {
  const verifier = new FakeExactAnswerVerifier();
  return {
    client,
    cache: new InProcessStepCache(),
    verifierFor: () => verifier,
    extractAnswer: boxedAnswer,
    ...extra,
  };
}

describe('runReasoning', () => {
  it('runs identical calls once: duplicate steps make exactly the unique calls', async () => {
    const spec = reasoning({
      steps: [
        { id: 'a', sample: { n: 4, prompt: '{{question}}', temperature: 0.8 } },
        { id: 'b', sample: { n: 6, prompt: '{{question}}', temperature: 0.8 } },
        { id: 'ra', refine: { input: 'a', prompt: 'Fix: {{item}}' } },
        { id: 'rb', refine: { input: 'b', prompt: 'Fix: {{item}}' } },
        { id: 'final', vote: { input: 'rb' } },
      ],
    });
    const client = new FakeInferenceClient(arithmetic);
    const result = await runReasoning(spec, deps(client));
    // samples: seeds 0-5 once (a's 4 are b's first 4, in flight when b asks); refines: one per
    // distinct draft text with seed 0: 380, 381, 391 (seeds 2 and 5 both drafted it), 383, 384
    expect(client.calls).toHaveLength(11);
    expect(result.callsMade).toBe(11);
    expect(result.callsSavedCache + result.callsSavedInflight).toBe(9);
    expect(result.steps.map((s) => s.calls)).toEqual([4, 6, 4, 6, 0]);
    expect(result.steps[1]).toMatchObject({ callsMade: 2, callsSavedInflight: 4 });
    expect(result.tokens).toBe(200);
    expect(result).toMatchObject({
      answer: '391',
      accepted: false,
      stoppedEarly: false,
      stopReason: 'completed',
    });
  });

  it('takes every call from a shared cache on a second run', async () => {
    const spec = reasoning({ steps: [{ id: 'a', sample: { n: 3, prompt: '{{question}}' } }] });
    const cache = new InProcessStepCache();
    await runReasoning(spec, deps(new FakeInferenceClient(arithmetic), { cache }));
    const again = new FakeInferenceClient(arithmetic);
    const result = await runReasoning(spec, deps(again, { cache }));
    expect(again.calls).toHaveLength(0);
    expect(result).toMatchObject({
      callsMade: 0,
      callsSavedCache: 3,
      callsSavedInflight: 0,
      answer: '380',
    });
  });

  it('sends the body of the step: its prompt, sampling and seed + i, on its endpoint', async () => {
    const spec = reasoning({
      steps: [
        {
          id: 'a',
          sample: {
            n: 2,
            prompt: 'Q: {{question}}',
            temperature: 0.5,
            top_p: 0.9,
            max_tokens: 64,
            seed: 10,
            chat: false,
          },
        },
      ],
    });
    const client = new FakeInferenceClient(arithmetic);
    await runReasoning(spec, deps(client));
    expect(client.calls.map((c) => c.body.seed).sort()).toEqual([10, 11]);
    expect(client.calls[0]).toEqual({
      endpoint: '/v1/completions',
      body: {
        model: 'm',
        prompt: `Q: ${QUESTION}`,
        temperature: 0.5,
        top_p: 0.9,
        max_tokens: 64,
        seed: client.calls[0]!.body.seed,
      },
    });
  });

  it('runs independent steps at the same time', async () => {
    const spec = reasoning({
      steps: [
        { id: 'x', sample: { prompt: 'first {{question}}' } },
        { id: 'y', sample: { prompt: 'second {{question}}' } },
        { id: 'both', sample: { prompt: '{{x}} / {{y}}' } },
      ],
    });
    const client = new FakeInferenceClient(chatAnswer(promptOf));
    client.hold = true;
    const run = runReasoning(spec, deps(client));
    await client.when((c) => c.inFlight === 2);
    expect(client.heldCalls().map(promptOf).sort()).toEqual([
      `first ${QUESTION}`,
      `second ${QUESTION}`,
    ]);
    client.releaseAll();
    const result = await run;
    expect(result.text).toBe(`first ${QUESTION} / second ${QUESTION}`);
  });

  it('never has more calls in flight than max_concurrency', async () => {
    const spec = reasoning({
      max_concurrency: 3,
      steps: [
        { id: 'a', sample: { n: 10, prompt: '{{question}}' } },
        { id: 'b', refine: { input: 'a', n: 2, prompt: 'Fix: {{item}}' } },
      ],
    });
    const client = new FakeInferenceClient(arithmetic);
    const result = await runReasoning(spec, deps(client));
    // 10 drafts, 8 distinct texts (seeds 2, 5 and 8 all say 391), each refined with seeds 0 and 1
    expect(result.callsMade).toBe(26);
    expect(client.peakInFlight).toBe(3);
  });

  it('stops as soon as a verifier accepts: that item is the answer, later calls never run', async () => {
    const spec = reasoning({
      max_concurrency: 1,
      steps: [
        { id: 'draft', sample: { n: 8, prompt: '{{question}}' } },
        {
          id: 'check',
          verify: { input: 'draft', verifier: 'exact-answer', stop_when_accepted: true },
        },
        { id: 'improve', refine: { input: 'draft', prompt: 'Fix: {{item}}' } },
        { id: 'final', vote: { input: 'improve' } },
      ],
    });
    const client = new FakeInferenceClient(
      chatAnswer((call) =>
        promptOf(call).startsWith('Fix') ? 'no' : `\\boxed{${seedOf(call) === 2 ? 391 : 0}}`,
      ),
    );
    const result = await runReasoning(spec, deps(client));
    expect(result).toMatchObject({
      answer: '391',
      text: '\\boxed{391}',
      accepted: true,
      stoppedEarly: true,
      stopReason: 'accepted',
      message: 'step "check" accepted item 2',
    });
    expect(client.calls.length).toBeLessThan(8);
    expect(result.steps.find((s) => s.id === 'check')).toMatchObject({
      accepted: 1,
      status: 'stopped',
    });
    expect(result.steps.find((s) => s.id === 'final')).toMatchObject({
      status: 'stopped',
      items: 0,
    });
  });

  it('passes the question and reference answer to the verifier', async () => {
    const verifier = new FakeExactAnswerVerifier();
    const spec = reasoning({
      steps: [
        { id: 'a', sample: { n: 1, prompt: '{{question}}' } },
        { id: 'v', verify: { input: 'a', verifier: 'exact-answer' } },
      ],
    });
    const names: string[] = [];
    await runReasoning(
      spec,
      deps(new FakeInferenceClient(arithmetic), {
        verifierFor: (name) => (names.push(name), verifier),
      }),
    );
    expect(names).toEqual(['exact-answer']);
    expect(verifier.problems).toEqual([{ id: 'question', prompt: QUESTION, answer: '391' }]);
  });

  it('selects the best-scored item, ties to the earliest', async () => {
    const spec = reasoning({
      steps: [
        { id: 'a', sample: { n: 6, prompt: '{{question}}' } },
        { id: 'v', verify: { input: 'a', verifier: 'exact-answer' } },
        { id: 'best', select: { input: 'a', by: 'v' } },
      ],
    });
    const result = await runReasoning(spec, deps(new FakeInferenceClient(arithmetic)));
    expect(result).toMatchObject({
      answer: '391',
      text: 'I think \\boxed{391}',
      accepted: true,
      stopReason: 'completed',
    });
  });

  it('stops when the call budget is spent, with the reason', async () => {
    const spec = reasoning({
      budget: { max_calls: 5 },
      steps: [{ id: 'a', sample: { n: 8, prompt: '{{question}}' } }],
    });
    const client = new FakeInferenceClient(arithmetic);
    const result = await runReasoning(spec, deps(client));
    expect(result).toMatchObject({
      answer: null,
      accepted: false,
      stoppedEarly: true,
      stopReason: 'max_calls',
      message: 'the budget of 5 calls ran out (budget.max_calls)',
    });
    expect(client.calls.length).toBeLessThanOrEqual(5);
  });

  it('stops when the token budget is spent, counting the answers usage', async () => {
    const spec = reasoning({
      max_concurrency: 1,
      budget: { max_tokens: 25 },
      steps: [{ id: 'a', sample: { n: 5, prompt: '{{question}}' } }],
    });
    const client = new FakeInferenceClient(arithmetic);
    const result = await runReasoning(spec, deps(client));
    expect(result).toMatchObject({ stopReason: 'max_tokens', tokens: 30, callsMade: 3 });
    expect(result.message).toBe('the budget of 25 tokens ran out after 30 (budget.max_tokens)');
    expect(client.calls).toHaveLength(3);
  });

  it('fails with the step named when the engine answers an error status', async () => {
    const spec = reasoning({ steps: [{ id: 'draft', sample: { n: 3, prompt: '{{question}}' } }] });
    const answer = (status: number) => () => ({
      status,
      requestId: '',
      body: { error: { message: 'overloaded' } },
    });
    const unavailable = runReasoning(spec, deps(new FakeInferenceClient(answer(503))));
    await expect(unavailable).rejects.toThrow(UnavailableError);
    await expect(unavailable).rejects.toThrow(
      /step "draft" \(call \d of 3\): the engine answered 503: overloaded/,
    );
    await expect(runReasoning(spec, deps(new FakeInferenceClient(answer(400))))).rejects.toThrow(
      FailedPreconditionError,
    );
  });

  it('fails when the engine cannot be reached', async () => {
    const spec = reasoning({ steps: [{ id: 'draft', sample: { prompt: '{{question}}' } }] });
    const run = runReasoning(
      spec,
      deps(new FakeInferenceClient(() => new Error('connect ECONNREFUSED'))),
    );
    await expect(run).rejects.toThrow(
      'step "draft" (call 1 of 1): the engine did not answer: connect ECONNREFUSED',
    );
  });

  it('rejects with the abort reason when aborted, ending the calls in flight', async () => {
    const spec = reasoning({ steps: [{ id: 'a', sample: { n: 4, prompt: '{{question}}' } }] });
    const client = new FakeInferenceClient(arithmetic);
    client.hold = true;
    const abort = new AbortController();
    const run = runReasoning(spec, deps(client, { signal: abort.signal }));
    await client.when((c) => c.inFlight === 4);
    abort.abort(new Error('job cancelled'));
    await expect(run).rejects.toThrow('job cancelled');
    await client.when((c) => c.inFlight === 0);
  });

  it('reports progress against the planned calls and a JSON result', async () => {
    const spec = reasoning({
      steps: [
        { id: 'a', sample: { n: 2, prompt: '{{question}}' } },
        { id: 'b', refine: { input: 'a', n: 2, prompt: 'Fix: {{item}} {{question}}' } },
      ],
    });
    const progress: Array<[number, number]> = [];
    const result = await runReasoning(
      spec,
      deps(new FakeInferenceClient(arithmetic), { onProgress: (d, t) => progress.push([d, t]) }),
    );
    expect(progress.map(([, total]) => total)).toEqual([6, 6, 6, 6, 6, 6]);
    expect(progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reasoningResultJson(result)).toMatchObject({
      answer: '391',
      accepted: false,
      stopped_early: false,
      calls_made: 6,
      calls_saved_cache: 0,
      calls_saved_inflight: 0,
      tokens: 60,
      steps: [
        { id: 'a', kind: 'sample', status: 'completed', items: 2, calls: 2 },
        { id: 'b', kind: 'refine', status: 'completed', items: 4, calls: 4, calls_made: 4 },
      ],
    });
  });
});
