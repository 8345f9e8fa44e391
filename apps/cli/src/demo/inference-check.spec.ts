import { JobState, type Job, type JobResult } from '@gantry/proto';
import { healthyOutcome } from '../testing/inference-demo-results';
import { observe, type Observation } from './demo-tracker';
import { checkInference } from './inference-check';
import { type JsonLine } from './inference-files';
import { type InferenceOutcome } from './inference-outcome';
import { inferencePlan } from './inference-workload';

const plan = inferencePlan();

/** The observation with its job changed by `change` (a copy: the healthy outcome stays intact). */
function changed(o: Observation | undefined, change: (job: Job) => Job): Observation {
  return observe(o!, change(structuredClone(o!.job)));
}

/** Changes the result of `kind` in place on a copy of the job. */
function withResult<T>(pick: (job: Job) => T, edit: (result: T) => void) {
  return (job: Job) => {
    edit(pick(job));
    return job;
  };
}

type Kind = NonNullable<JobResult['kind']>;
/** The job's result of `kind`, to edit (the spec's own outcomes: every result is there). */
function resultOf<C extends Kind['$case']>(job: Job, kind: C): Extract<Kind, { $case: C }> {
  const result = job.result!.kind!;
  if (result.$case !== kind) throw new Error(`expected a ${kind} result, got ${result.$case}`);
  return result as Extract<Kind, { $case: C }>;
}
const batchOf = (job: Job) => resultOf(job, 'batch').batch;
const reasoningOf = (job: Job) => resultOf(job, 'reasoning').reasoning;
const rlOf = (job: Job) => resultOf(job, 'rlSynthetic').rlSynthetic;

describe('checkInference', () => {
  it('accepts a run where each kind produced what it should', () => {
    expect(checkInference(healthyOutcome(plan))).toEqual([]);
  });

  it('reports a kind that did not succeed, or never ended', () => {
    const run = healthyOutcome(plan);
    const failed: InferenceOutcome = {
      ...run,
      batch: {
        ...run.batch,
        observation: changed(run.batch.observation, (job) => ({
          ...job,
          state: JobState.JOB_STATE_FAILED,
          reason: 'ShardsFailed',
          message: 'shard 1 failed 3 attempts',
          result: undefined,
        })),
      },
      reasoning: {
        observation: changed(run.reasoning.observation, (job) => ({
          ...job,
          state: JobState.JOB_STATE_RUNNING,
        })),
      },
      rl: { ...run.rl, observation: undefined },
    };
    expect(checkInference(failed)).toEqual([
      'batch-36-questions (job_batch) should have succeeded; it failed: ShardsFailed shard 1 failed 3 attempts',
      'reasoning-dag (job_reasoning) did not finish: still running',
      'the RL job was not submitted',
    ]);
  });

  it('reports a batch whose requests were not all answered, once each, in order', () => {
    const run = healthyOutcome(plan);
    const observation = changed(
      run.batch.observation,
      withResult(batchOf, (b) => {
        b.requestCounts = { total: 36, completed: 34, failed: 2 };
      }),
    );
    const output = [...run.batch.output];
    output[5] = output[4]!; // q-05 twice, q-06 never
    output.pop(); // q-36 never
    const errors: JsonLine[] = [{ custom_id: 'q-06', error: { code: 'engine_error' } }];
    expect(checkInference({ ...run, batch: { observation, output, errors } })).toEqual([
      'batch-36-questions (job_batch) answered 34 of 36 requests (2 failed); expected all 36 answered',
      'batch-36-questions (job_batch) output has 35 lines for 36 requests',
      'batch-36-questions (job_batch) output lacks q-06, q-36',
      'batch-36-questions (job_batch) output answers q-05 more than once',
      'batch-36-questions (job_batch) error file has 1 line(s); expected none',
    ]);
  });

  it('reports batch output lines without an answer, and out of order', () => {
    const run = healthyOutcome(plan);
    const output = [...run.batch.output];
    [output[0], output[1]] = [output[1]!, output[0]!];
    output[2] = { ...output[2]!, response: { status_code: 500, body: {} } };
    expect(checkInference({ ...run, batch: { ...run.batch, output } })).toEqual([
      'batch-36-questions (job_batch) output is not in request order',
      'batch-36-questions (job_batch) output has no answer for q-03',
    ]);
  });

  it('reports a DAG with duplicate calls that saved none', () => {
    const run = healthyOutcome(plan);
    const observation = changed(
      run.reasoning.observation,
      withResult(reasoningOf, (r) => {
        r.callsMade = 20;
        r.callsSavedCache = 0;
        r.callsSavedInflight = 0;
      }),
    );
    expect(checkInference({ ...run, reasoning: { observation } })).toEqual([
      'reasoning-dag (job_reasoning) saved 0 engine calls; its DAG repeats 8 of its 20 sample calls, which should run once',
    ]);
  });

  it('reports calls that do not add up, and a verdict at odds with the reference answer', () => {
    const run = healthyOutcome(plan);
    const observation = changed(
      run.reasoning.observation,
      withResult(reasoningOf, (r) => {
        r.answer = '390';
        r.callsMade = 13;
      }),
    );
    expect(checkInference({ ...run, reasoning: { observation } })).toEqual([
      "reasoning-dag (job_reasoning)'s answer 390 was accepted, but the reference answer is 391",
      "reasoning-dag (job_reasoning)'s steps asked for 20 engine calls, but 13 were made and 8 saved",
    ]);
  });

  it('reports a reasoning answer no verifier judged, and no answer at all', () => {
    const run = healthyOutcome(plan);
    const unjudged = changed(
      run.reasoning.observation,
      withResult(reasoningOf, (r) => {
        r.accepted = undefined;
      }),
    );
    expect(checkInference({ ...run, reasoning: { observation: unjudged } })).toEqual([
      "reasoning-dag (job_reasoning)'s answer 391 was never judged by its verify step",
    ]);
    const none = changed(
      run.reasoning.observation,
      withResult(reasoningOf, (r) => {
        r.answer = '';
        r.stopReason = 'max_calls';
      }),
    );
    expect(checkInference({ ...run, reasoning: { observation: none } })).toEqual([
      'reasoning-dag (job_reasoning) gave no answer (stop reason: max_calls)',
    ]);
  });

  it('reports an RL dataset whose size does not match its figures', () => {
    const run = healthyOutcome(plan);
    const dataset = run.rl.dataset.slice(1);
    expect(checkInference({ ...run, rl: { ...run.rl, dataset } })).toEqual([
      "rl-8x4 (job_rl)'s dataset has 11 lines; its result says 12 kept",
    ]);
  });

  it('reports RL figures that disagree with each other', () => {
    const run = healthyOutcome(plan);
    const observation = changed(
      run.rl.observation,
      withResult(rlOf, (r) => {
        r.samples = 30;
        r.passAtK = 0.5;
        r.kept = 19;
      }),
    );
    expect(checkInference({ ...run, rl: { ...run.rl, observation } })).toEqual([
      'rl-8x4 (job_rl) has 30 samples (4 per problem); expected 8 problems x 4',
      "rl-8x4 (job_rl)'s acceptance rate 0.625 is not 20/30",
      "rl-8x4 (job_rl)'s pass@1 0.625 and pass@4 0.5 are out of order",
      'rl-8x4 (job_rl) kept 19 traces; with 20 accepted and 2 all-passed group(s) of 4 dropped it should keep 12',
      "rl-8x4 (job_rl)'s dataset has 12 lines; its result says 19 kept",
    ]);
  });

  it('reports dataset lines that are not accepted traces of the job, and whole groups kept', () => {
    const run = healthyOutcome(plan);
    const dataset = run.rl.dataset.map((line, i) =>
      i === 0 ? { ...line, extracted_answer: '0' } : i === 3 ? { ...line, accepted: false } : line,
    );
    // p-02's second sample once more: all 4 of its samples kept.
    const whole = [...dataset, dataset[1]!];
    expect(checkInference({ ...run, rl: { ...run.rl, dataset: whole } })).toEqual([
      "rl-8x4 (job_rl)'s dataset has 13 lines; its result says 12 kept",
      "rl-8x4 (job_rl)'s dataset line(s) 1 (p-02), 4 (p-03) are not accepted traces of its problems with the right answer and this job's provenance",
      "rl-8x4 (job_rl)'s dataset keeps all 4 samples of p-02, which the group filter drops",
    ]);
  });

  it('passes on files that could not be read', () => {
    const run = healthyOutcome(plan);
    expect(
      checkInference({
        ...run,
        unreadable: ['rl-8x4 (job_rl): cannot read its dataset file_x: gone'],
      }),
    ).toEqual(['rl-8x4 (job_rl): cannot read its dataset file_x: gone']);
  });
});
