import {
  FailedPreconditionError,
  NotFoundError,
  ValidationError,
  type JobRecord,
} from '@gantry/domain';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { jobServiceParts } from '../testing/job-service';
import { T0 } from '../testing/parts';

async function setUp() {
  const parts = await jobServiceParts();
  const running = (id: string, fields: Partial<JobRecord> = {}): void => {
    parts.jobs.add(
      aPendingJob(id, { tenantId: parts.alice.tenantId, state: 'running', attempt: 1, ...fields }),
      anAttempt(id, 1, 'n1', { state: 'running' }),
    );
  };
  return { ...parts, running };
}

describe('JobServiceHandlers RecordCheckpoint', () => {
  it("records a running job's checkpoint, in its history, and wakes its watchers", async () => {
    const { service, alice, jobs, signals, running, clock } = await setUp();
    running('job_r');
    clock.advance(2_000);
    const { job } = await callHandler(
      service.recordCheckpoint,
      { jobId: 'job_r', message: 'step 1200 saved' },
      alice.metadata,
    );
    expect(job).toMatchObject({ id: 'job_r', lastCheckpointTime: new Date(T0 + 2_000) });
    expect(jobs.job('job_r').lastCheckpointAt).toBe(T0 + 2_000);
    expect(jobs.history.get('job_r')).toEqual([
      { type: 'checkpoint', attempt: 1, message: 'step 1200 saved', sequence: 1, time: T0 + 2_000 },
    ]);
    expect(signals.jobsChanged).toEqual(['job_r']);
    expect(signals.schedulerWakeUps).toBe(0);
  });

  it('refuses a job that is not running', async () => {
    const { service, alice, jobs } = await setUp();
    jobs.add(aPendingJob('job_p', { tenantId: alice.tenantId }));
    const error = await failureOf(
      callHandler(service.recordCheckpoint, { jobId: 'job_p', message: '' }, alice.metadata),
    );
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect(error.message).toBe('job job_p is pending; only a running job can record a checkpoint');
  });

  it("hides another tenant's job", async () => {
    const { service, bob, running, jobs } = await setUp();
    running('job_r');
    const error = await failureOf(
      callHandler(service.recordCheckpoint, { jobId: 'job_r', message: '' }, bob.metadata),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(jobs.job('job_r').lastCheckpointAt).toBeNull();
  });

  it.each([
    [{ jobId: '', message: '' }, 'job_id', 'is required'],
    [{ jobId: 'job_r', message: 'm'.repeat(1025) }, 'message', 'must be at most 1024 characters'],
  ])('rejects %p naming the field', async (request, field, message) => {
    const { service, alice, running, jobs } = await setUp();
    running('job_r');
    const error = await failureOf(callHandler(service.recordCheckpoint, request, alice.metadata));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([{ field, message }]);
    expect(jobs.job('job_r').lastCheckpointAt).toBeNull();
  });
});
