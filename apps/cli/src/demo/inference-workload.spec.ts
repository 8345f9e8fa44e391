import { parseJobSpec, type InferenceReasoningWorkload } from '@gantry/domain';
import {
  arithmeticQuestions,
  BATCH_ENDPOINT,
  batchRequestLines,
  boxedAnswer,
  problemLines,
} from './inference-inputs';
import { duplicateSampleCalls, inferenceJobs, inferencePlan } from './inference-workload';

const files = {
  requestsFileId: 'file_01jd0000000000000000000000',
  problemsFileId: 'file_01jd0000000000000000000001',
};

/** `What is 17 * 12?` worked out independently of the generator. */
function solve(question: string): number {
  const [, a, op, b] = /^What is (\d+) ([-+*]) (\d+)\?$/.exec(question)!;
  const x = Number(a);
  const y = Number(b);
  return op === '+' ? x + y : op === '-' ? x - y : x * y;
}

function reasoningOf(spec: unknown): InferenceReasoningWorkload {
  const workload = parseJobSpec(spec).workload;
  if (workload.kind !== 'inference_reasoning') throw new Error(`got ${workload.kind}`);
  return workload;
}

describe('demo inference inputs', () => {
  it('ask arithmetic questions with their right, non-negative answers and unique ids', () => {
    const questions = arithmeticQuestions(36, 'q');
    expect(questions[0]!.id).toBe('q-01');
    expect(new Set(questions.map((q) => q.id)).size).toBe(36);
    expect(new Set(questions.map((q) => q.question)).size).toBe(36);
    for (const q of questions) {
      expect(Number(q.answer)).toBe(solve(q.question));
      expect(Number(q.answer)).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(questions.map((q) => q.question.split(' ')[3])).size).toBe(3);
    expect(arithmeticQuestions(8, 'p', 100)[0]!.question).not.toBe(questions[0]!.question);
  });

  it('write one OpenAI Batch request line per question', () => {
    const questions = arithmeticQuestions(3, 'q');
    const text = batchRequestLines(questions, 48);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(
      questions.map((q) => ({
        custom_id: q.id,
        method: 'POST',
        url: BATCH_ENDPOINT,
        body: { messages: [{ role: 'user', content: q.question }], max_tokens: 48 },
      })),
    );
  });

  it('write RL problems for the exact-answer verifier', () => {
    const [first] = arithmeticQuestions(1, 'p');
    expect(problemLines([first!])).toBe(
      `${JSON.stringify({ id: 'p-01', prompt: first!.question, answer: first!.answer })}\n`,
    );
  });

  it("read a completion's last boxed answer", () => {
    expect(boxedAnswer('first \\boxed{3}, then The answer is \\boxed{ 391 }.')).toBe('391');
    expect(boxedAnswer('no box here')).toBeUndefined();
  });
});

describe('demo inference jobs', () => {
  const plan = inferencePlan();
  const jobs = inferenceJobs(plan, files);

  it('are one of each inference kind, each valid by the server’s own rules', () => {
    expect(jobs.map((j) => j.role)).toEqual(['batch', 'reasoning', 'rl']);
    expect(jobs.map((j) => parseJobSpec(j.spec).workload.kind)).toEqual([
      'inference_batch',
      'inference_reasoning',
      'rl_synthetic',
    ]);
  });

  it('send a few dozen batch requests from the uploaded file in 2 shards', () => {
    const batch = parseJobSpec(jobs[0]!.spec).workload;
    expect(batch).toMatchObject({ inputFileId: files.requestsFileId, shards: 2 });
    expect(plan.batch.questions.length).toBeGreaterThanOrEqual(24);
    expect(plan.batch.questions.length).toBeLessThanOrEqual(60);
  });

  it('sample, verify with exact-answer and vote, in a DAG whose samplers repeat 8 calls', () => {
    const dag = reasoningOf(jobs[1]!.spec);
    expect(dag.steps.map((s) => s.kind)).toEqual(['sample', 'vote', 'sample', 'verify', 'vote']);
    expect(dag.steps.find((s) => s.kind === 'verify')).toMatchObject({
      verifier: 'exact-answer',
      stopWhenAccepted: false,
    });
    expect(dag.answer).toBe('391');
    expect(duplicateSampleCalls(dag)).toEqual({ calls: 20, duplicates: 8 });
  });

  it('ask K samples of each problem, scored by exact-answer, keeping accepted traces', () => {
    const rl = parseJobSpec(jobs[2]!.spec).workload;
    expect(rl).toMatchObject({
      problemsFileId: files.problemsFileId,
      samplesPerProblem: plan.rl.samplesPerProblem,
      verifier: 'exact-answer',
      keep: 'accepted',
      groupFilter: true,
    });
  });
});

describe('duplicateSampleCalls', () => {
  const dag = (steps: unknown[]) =>
    reasoningOf({
      resources: { gpus: 1 },
      inference_reasoning: { model: 'm', question: 'What is 2 + 2?', steps },
    });
  const sample = (id: string, extra: object) => ({
    id,
    sample: { prompt: '{{question}}', n: 4, ...extra },
  });

  it('counts calls identical in prompt, sampling and seed', () => {
    expect(duplicateSampleCalls(dag([sample('a', {}), sample('b', { n: 6 })]))).toEqual({
      calls: 10,
      duplicates: 4,
    });
    // seeds 2-5 overlap seeds 0-3 in two calls
    expect(duplicateSampleCalls(dag([sample('a', {}), sample('b', { seed: 2 })]))).toEqual({
      calls: 8,
      duplicates: 2,
    });
  });

  it('counts none when the sampling, the prompt or the endpoint differs', () => {
    for (const other of [{ temperature: 0.5 }, { prompt: 'Q: {{question}}' }, { chat: false }])
      expect(duplicateSampleCalls(dag([sample('a', {}), sample('b', other)])).duplicates).toBe(0);
  });

  it('leaves out samplers whose prompt depends on another step', () => {
    const steps = [sample('a', {}), sample('b', { prompt: '{{question}} {{a}}' })];
    expect(duplicateSampleCalls(dag(steps))).toEqual({ calls: 4, duplicates: 0 });
  });
});
