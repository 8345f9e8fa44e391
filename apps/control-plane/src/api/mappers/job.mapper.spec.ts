import { AttemptState, JobState, LogStream } from '@gantry/proto';
import type { JobView } from '@gantry/store';
import { aPendingJob, anAttempt } from '../../testing/job-records';
import { toProtoEvent, toProtoJob } from './job.mapper';
import { toProtoSpec } from '@gantry/grpc';

describe('toProtoJob', () => {
  it('maps a job with its attempts; unset times and exit codes stay unset', () => {
    const job = aPendingJob('job_a', {
      state: 'running',
      attempt: 2,
      submittedAt: 1_000,
      startedAt: 2_000,
      idempotencyKey: 'k1',
      progress: 0.25,
    });
    const view: JobView = {
      ...job,
      parentJobId: null,
      result: null,
      tenantName: 'alice',
      attempts: [
        {
          ...anAttempt('job_a', 1, 'n1', { state: 'lost', endedAt: 1_500, exitCode: null }),
          nodeName: 'gpu-1',
        },
        {
          ...anAttempt('job_a', 2, 'n2', {
            state: 'running',
            startedAt: 2_000,
            gpuIndices: [4, 5],
          }),
          nodeName: 'gpu-2',
        },
      ],
    };
    const proto = toProtoJob(view);
    expect(proto).toMatchObject({
      id: 'job_a',
      tenant: 'alice',
      spec: toProtoSpec(job.spec),
      state: JobState.JOB_STATE_RUNNING,
      attempt: 2,
      idempotencyKey: 'k1',
      submitTime: new Date(1_000),
      startTime: new Date(2_000),
      endTime: undefined,
      exitCode: undefined,
      progress: 0.25,
    });
    expect(proto.attempts).toEqual([
      expect.objectContaining({
        number: 1,
        nodeName: 'gpu-1',
        state: AttemptState.ATTEMPT_STATE_LOST,
        endTime: new Date(1_500),
        exitCode: undefined,
      }),
      expect.objectContaining({
        number: 2,
        nodeName: 'gpu-2',
        gpuIndices: [4, 5],
        startTime: new Date(2_000),
        endTime: undefined,
      }),
    ]);
    expect(toProtoJob({ ...view, idempotencyKey: null, exitCode: 0 })).toMatchObject({
      idempotencyKey: '',
      exitCode: 0,
    });
  });

  it('maps the class, array element, last checkpoint and preemptions; unset ones stay unset', () => {
    const element = aPendingJob('job_e', {
      priorityClass: 'rl-rollout',
      arrayId: 'job_first',
      arrayIndex: 0,
      lastCheckpointAt: 3_000,
      preemptions: 2,
    });
    expect(
      toProtoJob({
        ...element,
        tenantName: 'alice',
        attempts: [],
        parentJobId: null,
        result: null,
      }),
    ).toMatchObject({
      priorityClass: 'rl-rollout',
      arrayId: 'job_first',
      arrayIndex: 0,
      lastCheckpointTime: new Date(3_000),
      preemptions: 2,
    });
    const single = toProtoJob({
      ...aPendingJob('job_s'),
      tenantName: 'alice',
      attempts: [],
      parentJobId: null,
      result: null,
    });
    expect(single).toMatchObject({ priorityClass: 'batch', arrayId: '', preemptions: 0 });
    expect(single.arrayIndex).toBeUndefined();
    expect(single.lastCheckpointTime).toBeUndefined();
  });
});

describe('toProtoEvent', () => {
  it('maps each kind of history entry', () => {
    const base = { sequence: 3, time: 5_000, attempt: 1 };
    expect(
      toProtoEvent({
        ...base,
        type: 'state_change',
        from: 'running',
        to: 'failed',
        reason: 'NonZeroExit',
        message: 'exit 2',
        exitCode: 2,
      }),
    ).toEqual({
      sequence: 3,
      time: new Date(5_000),
      attempt: 1,
      payload: {
        $case: 'stateChange',
        stateChange: {
          from: JobState.JOB_STATE_RUNNING,
          to: JobState.JOB_STATE_FAILED,
          reason: 'NonZeroExit',
          message: 'exit 2',
          exitCode: 2,
        },
      },
    });
    expect(
      toProtoEvent({ ...base, type: 'progress', fraction: 0.5, message: 'half' }).payload,
    ).toEqual({
      $case: 'progress',
      progress: { fraction: 0.5, message: 'half' },
    });
    expect(
      toProtoEvent({ ...base, type: 'log', stream: 'stderr', lines: ['a', 'b'] }).payload,
    ).toEqual({
      $case: 'log',
      log: { stream: LogStream.LOG_STREAM_STDERR, lines: ['a', 'b'], rank: 0 },
    });
    expect(
      toProtoEvent({ ...base, type: 'log', stream: 'stdout', lines: ['c'], rank: 2 }).payload,
    ).toEqual({
      $case: 'log',
      log: { stream: LogStream.LOG_STREAM_STDOUT, lines: ['c'], rank: 2 },
    });
    expect(
      toProtoEvent({ ...base, type: 'log', stream: 'stdout', lines: [] }).payload,
    ).toMatchObject({
      log: { stream: LogStream.LOG_STREAM_STDOUT },
    });
    expect(toProtoEvent({ ...base, type: 'checkpoint', message: 'step 10' })).toEqual({
      sequence: 3,
      time: new Date(5_000),
      attempt: 1,
      payload: { $case: 'checkpoint', checkpoint: { message: 'step 10' } },
    });
    expect(
      toProtoEvent({ ...base, type: 'notice', reason: 'Preempted', message: 'for job_x' }).payload,
    ).toEqual({ $case: 'notice', notice: { reason: 'Preempted', message: 'for job_x' } });
  });
});
