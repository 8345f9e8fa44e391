import {
  InferenceBatchWorkload,
  Job,
  JobState,
  ReasoningWorkload,
  RlSyntheticWorkload,
  SampleStep,
  ShardWorkload,
  VoteStep,
  type JobResult,
  type JobSpec,
} from '@gantry/proto';
import { renderJobDetails } from './job-details';
import { renderJobTable } from './job-view';

const now = Date.parse('2026-11-29T12:00:00Z');

function aJob(workload: JobSpec['workload'], result?: JobResult, extra: Partial<Job> = {}): Job {
  const job = Job.fromPartial({
    id: 'job_p',
    state: JobState.JOB_STATE_RUNNING,
    spec: { name: 'eval', queue: 'research', resources: { gpus: 1 } },
  });
  return { ...job, spec: { ...job.spec!, workload }, result, ...extra };
}

const batchJob = aJob(
  {
    $case: 'inferenceBatch',
    inferenceBatch: InferenceBatchWorkload.fromPartial({
      model: 'Qwen/Qwen2.5-7B-Instruct',
      engine: 'vllm',
      inputFileId: 'file_in',
      endpoint: '/v1/chat/completions',
      shards: 2,
      completionWindow: { seconds: 86_400, nanos: 0 },
    }),
  },
  {
    kind: {
      $case: 'batch',
      batch: {
        status: 'in_progress',
        requestCounts: { total: 1000, completed: 400, failed: 3 },
        outputFileId: '',
        errorFileId: '',
        expiresAt: new Date('2026-11-30T11:00:00Z'),
        errors: [],
      },
    },
  },
);

describe('gantry get for the inference kinds', () => {
  it('shows a batch job’s workload and a Result section with its status and counts', () => {
    const text = renderJobDetails(batchJob, now);
    expect(text).toContain(
      'Workload:  inference_batch: Qwen/Qwen2.5-7B-Instruct (vllm) on file_in, /v1/chat/completions, 2 shards, window 1d\n',
    );
    expect(text).toContain(
      [
        'Result:',
        '  Status:    in_progress',
        '  Requests:  1,000 total, 400 completed, 3 failed',
        '  Expires:   2026-11-30T11:00:00.000Z',
      ].join('\n'),
    );
  });

  it('shows a finished batch job’s files by id', () => {
    const done = {
      ...batchJob,
      result: {
        kind: {
          $case: 'batch' as const,
          batch: {
            status: 'completed',
            requestCounts: { total: 2, completed: 2, failed: 0 },
            outputFileId: 'file_out',
            errorFileId: 'file_err',
            errors: [],
          },
        },
      },
    };
    expect(renderJobDetails(done, now)).toContain('  Output:    file_out\n  Errors:    file_err');
  });

  it('shows a reasoning job’s answer and the calls it saved', () => {
    const text = renderJobDetails(
      aJob(
        {
          $case: 'inferenceReasoning',
          inferenceReasoning: {
            ...ReasoningWorkload.fromPartial({ model: 'm', output: 'final' }),
            steps: [
              { id: 'draft', kind: { $case: 'sample', sample: SampleStep.fromPartial({ n: 8 }) } },
              {
                id: 'final',
                kind: { $case: 'vote', vote: VoteStep.fromPartial({ input: 'draft' }) },
              },
            ],
          },
        },
        {
          kind: {
            $case: 'reasoning',
            reasoning: {
              answer: '391',
              accepted: undefined,
              stoppedEarly: false,
              callsMade: 5,
              callsSavedCache: 3,
              callsSavedInflight: 0,
              tokens: 0,
              steps: [],
              stopReason: 'budget: max_calls 5 reached',
            },
          },
        },
      ),
      now,
    );
    expect(text).toContain(
      'Workload:  inference_reasoning: m, 2 steps (draft:sample final:vote), output final\n',
    );
    expect(text).toContain(
      [
        'Result:',
        '  Answer:       391',
        '  Accepted:     not judged (no verifier ran on it)',
        '  Stop reason:  budget: max_calls 5 reached',
        '  Calls:        5 made, 3 saved (3 from the cache, 0 in flight)',
      ].join('\n'),
    );
  });

  it('shows an RL job’s figures and dataset', () => {
    const text = renderJobDetails(
      aJob(
        {
          $case: 'rlSynthetic',
          rlSynthetic: RlSyntheticWorkload.fromPartial({
            policyModel: 'm',
            problemsFileId: 'file_p',
            samplesPerProblem: 4,
            verifier: 'unit-tests',
          }),
        },
        {
          kind: {
            $case: 'rlSynthetic',
            rlSynthetic: {
              status: 'completed',
              problems: 10,
              samples: 40,
              accepted: 10,
              acceptanceRate: 0.25,
              passAt1: 0.25,
              passAtK: 0.6,
              k: 4,
              groupsAllPassed: 1,
              groupsNonePassed: 4,
              kept: 8,
              datasetFileId: 'file_ds',
              errors: [],
            },
          },
        },
      ),
      now,
    );
    expect(text).toContain('Workload:  rl_synthetic: m on file_p, K=4, unit-tests\n');
    expect(text).toContain(
      '  Accepted:        10 (25.0%)\n  pass@1:          0.250\n  pass@4:          0.600\n',
    );
    expect(text).toContain(
      '  Groups dropped:  1 all passed, 4 none passed\n  Kept:            8\n  Dataset:         file_ds',
    );
  });

  it('shows the parent of a shard', () => {
    const shard = aJob(
      {
        $case: 'shard',
        shard: ShardWorkload.fromPartial({
          parentJobId: 'job_p',
          index: 1,
          count: 2,
          model: 'm',
          firstLine: 500,
          lineCount: 500,
        }),
      },
      undefined,
      { id: 'job_s', parentJobId: 'job_p' },
    );
    const text = renderJobDetails(shard, now);
    expect(text).toContain('Workload:  shard 2 of 2: m, lines 500-999\n');
    expect(text).toContain('Parent:    job_p (shard 2 of 2)\n');
    expect(text).not.toContain('Result:');
  });
});

describe('gantry list for the inference kinds', () => {
  it("shows a batch job's status as REASON when it has no reason", () => {
    const [, row] = renderJobTable([batchJob], now, false).split('\n');
    expect(row).toMatch(/ running +in_progress +1 /);
    const [, withReason] = renderJobTable(
      [{ ...batchJob, state: JobState.JOB_STATE_FAILED, reason: 'Expired' }],
      now,
      false,
    ).split('\n');
    expect(withReason).toMatch(/ failed +Expired +1 /);
  });
});
