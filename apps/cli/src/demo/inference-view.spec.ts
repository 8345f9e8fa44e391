import { JobState } from '@gantry/proto';
import { healthyOutcome } from '../testing/inference-demo-results';
import { observe } from './demo-tracker';
import { inferencePlan } from './inference-workload';
import { renderInference, savedLine } from './inference-view';

const plan = inferencePlan();

describe('renderInference', () => {
  const text = renderInference(healthyOutcome(plan));

  it('shows the batch: status, request counts, its files, how many answers were right, and two of them', () => {
    expect(text).toContain(
      'inference_batch  batch-36-questions (job_batch): 36 questions in 2 shards',
    );
    expect(text).toMatch(/ {2}Status: +completed\n/);
    expect(text).toMatch(/ {2}Requests: +36 total, 36 completed, 0 failed\n/);
    expect(text).toMatch(/ {2}Output: +file_out \(36 lines\)\n/);
    expect(text).toMatch(/ {2}Errors: +file_err \(0 lines\)\n/);
    expect(text).toMatch(/ {2}Right: +24 of 36 /);
    const [q1, q3] = [plan.batch.questions[0]!, plan.batch.questions[2]!];
    expect(text).toContain(`    q-01  ${q1.question}  ->  ${q1.answer} (right): "Working it`);
    expect(text).toContain(
      `    q-03  ${q3.question}  ->  ${Number(q3.answer) + 1} (wrong, it is ${q3.answer})`,
    );
  });

  it('shows the reasoning answer, its verdict, the calls made and saved, and the steps', () => {
    expect(text).toMatch(/ {2}Answer: +391\n/);
    expect(text).toMatch(/ {2}Accepted: +yes, a verifier accepted it\n/);
    expect(text).toMatch(/ {2}Calls: +12 made, 8 saved \(2 from the cache, 6 in flight\)\n/);
    expect(text).toMatch(/ {4}STEP +ITEMS +CALLS +ACCEPTED +RAN +ANSWER\n {4}draft +8 +8 /);
  });

  it('shows the RL figures, the dataset and a kept trace', () => {
    expect(text).toMatch(/ {2}Problems: +8\n {2}Samples: +32 \(4 per problem\)\n/);
    expect(text).toMatch(
      / {2}Accepted: +20 \(62\.5%\)\n {2}pass@1: +0\.625\n {2}pass@4: +0\.875\n/,
    );
    expect(text).toMatch(/ {2}Kept: +12\n {2}Dataset: +file_dataset \(12 lines\)\n/);
    expect(text).toContain(`    first kept trace: p-02 ${plan.rl.problems[1]!.question}  ->  `);
  });

  it('ends with the calls deduplication saved', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'deduplication: the reasoning DAG asked for 20 engine calls; 12 reached the engine and 8 were ' +
        'saved (2 from the cache, 6 in flight)',
    );
  });

  it('says when a job ended without a result, and then has no deduplication line', () => {
    const run = healthyOutcome(plan);
    const o = run.reasoning.observation!;
    const failed = observe(o, {
      ...o.job,
      state: JobState.JOB_STATE_FAILED,
      reason: 'EngineFailed',
      message: 'the engine exited with code 1',
      result: undefined,
    });
    const outcome = { ...run, reasoning: { observation: failed } };
    expect(renderInference(outcome)).toContain(
      'reasoning-dag (job_reasoning): What is 17 * 23? (reference 391), steps draft, quick, more, ' +
        'check, final  (no result: EngineFailed the engine exited with code 1)',
    );
    expect(savedLine(outcome)).toBe('');
  });
});
