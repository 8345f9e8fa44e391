import { Metadata, status } from '@grpc/grpc-js';
import {
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type TaskReport,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import {
  JobState,
  type JobSpec,
  type JobServiceServer,
  type WatchJobRequest,
  type WatchJobResponse,
} from '@gantry/proto';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { FakeStreamCall } from '../testing/fake-stream-call';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aProtoSpec, jobServiceParts } from '../testing/job-service';

const aSpec = (gpus = 1): JobSpec => aProtoSpec(gpus);
const setUp = () => jobServiceParts({ cancelGraceSeconds: 9 });

describe('JobServiceHandlers', () => {
  afterEach(() => jest.useRealTimers());

  describe('SubmitJob', () => {
    it('records the job, puts it in the pending index and wakes the scheduler', async () => {
      const { service, alice, jobs, pending, signals, clock } = await setUp();
      const { job, created } = await callHandler(
        service.submitJob,
        { spec: aSpec(2), idempotencyKey: '' },
        alice.metadata,
      );
      expect(created).toBe(true);
      expect(job).toMatchObject({
        tenant: alice.tenantId,
        state: JobState.JOB_STATE_PENDING,
        idempotencyKey: '',
        submitTime: new Date(clock.now()),
      });
      expect(jobs.job(job!.id)).toMatchObject({ tenantId: alice.tenantId, idempotencyKey: null });
      expect(pending.ids()).toEqual([job!.id]);
      expect(signals.schedulerWakeUps).toBe(1);
    });

    it('needs an API key', async () => {
      const { service } = await setUp();
      const error = await failureOf(
        callHandler(service.submitJob, { spec: aSpec(), idempotencyKey: '' }, new Metadata()),
      );
      expect(error).toBeInstanceOf(UnauthenticatedError);
      const wrong = await failureOf(
        callHandler(
          service.submitJob,
          { spec: aSpec(), idempotencyKey: '' },
          bearerMetadata('gk_nope'),
        ),
      );
      expect(wrong.message).toBe('the API key is not valid (unknown, revoked or malformed)');
    });

    it('names the spec field that is wrong', async () => {
      const { service, alice, jobs } = await setUp();
      const error = await failureOf(
        callHandler(service.submitJob, { spec: aSpec(-1), idempotencyKey: '' }, alice.metadata),
      );
      expect((error as ValidationError).violations).toEqual([
        { field: 'spec.resources.gpus', message: 'must be at least 0' },
      ]);
      expect(jobs.jobs.size).toBe(0);
    });

    it("checks the spec against the cluster's queues before recording it", async () => {
      const { service, alice, jobs, pending } = await setUp();
      const error = await failureOf(
        callHandler(
          service.submitJob,
          { spec: aProtoSpec(1, { queue: 'nope' }), idempotencyKey: '' },
          alice.metadata,
        ),
      );
      expect((error as ValidationError).violations).toEqual([
        { field: 'spec.queue', message: 'no queue named "nope" (see gantry queues list)' },
      ]);
      expect(jobs.jobs.size).toBe(0);
      expect(pending.ids()).toEqual([]);
    });

    it.each([
      ['longer than 128 characters', 'k'.repeat(129)],
      ['with a control character', 'key\nwith-newline'],
      ['with a NUL', 'key\u0000'],
    ])('rejects an idempotency key %s', async (_name, key) => {
      const { service, alice, jobs } = await setUp();
      const error = await failureOf(
        callHandler(service.submitJob, { spec: aSpec(), idempotencyKey: key }, alice.metadata),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations).toEqual([
        { field: 'idempotency_key', message: 'must be at most 128 printable characters' },
      ]);
      expect(jobs.jobs.size).toBe(0);
    });

    it('takes a key of 128 characters, trimmed, and answers a repeat with the same job', async () => {
      const { service, alice, jobs, pending, metrics } = await setUp();
      const key = 'k'.repeat(128);
      const first = await callHandler(
        service.submitJob,
        { spec: aSpec(), idempotencyKey: `  ${key} ` },
        alice.metadata,
      );
      const again = await callHandler(
        service.submitJob,
        { spec: aSpec(), idempotencyKey: key },
        alice.metadata,
      );
      expect(first.created).toBe(true);
      expect(again).toMatchObject({
        created: false,
        job: { id: first.job!.id, idempotencyKey: key },
      });
      expect(jobs.jobs.size).toBe(1);
      expect(pending.ids()).toEqual([first.job!.id]);
      expect((await metrics.jobsSubmitted.get()).values[0]?.value).toBe(1);
    });
  });

  describe('GetJob', () => {
    it("requires job_id and hides another tenant's job", async () => {
      const { service, alice, bob, jobs } = await setUp();
      jobs.add(aPendingJob('job_b', { tenantId: bob.tenantId }));
      const missing = await failureOf(callHandler(service.getJob, { jobId: '' }, alice.metadata));
      expect((missing as ValidationError).violations[0]?.field).toBe('job_id');
      const hidden = await failureOf(
        callHandler(service.getJob, { jobId: 'job_b' }, alice.metadata),
      );
      expect(hidden).toBeInstanceOf(NotFoundError);
      const own = await callHandler(service.getJob, { jobId: 'job_b' }, bob.metadata);
      expect(own.job?.id).toBe('job_b');
    });
  });

  describe('ListJobs', () => {
    const list = { states: [], queue: '', pageToken: '' };

    it.each([-1, 1001])('rejects page_size %p', async (pageSize) => {
      const { service, alice, jobs } = await setUp();
      const error = await failureOf(
        callHandler(service.listJobs, { ...list, pageSize }, alice.metadata),
      );
      expect((error as ValidationError).violations).toEqual([
        { field: 'page_size', message: 'must be 0-1000 (0 means 100)' },
      ]);
      expect(jobs.listQueries).toEqual([]);
    });

    it.each([
      [0, 100],
      [1, 1],
      [1000, 1000],
    ])('takes page_size %p as %p', async (pageSize, expected) => {
      const { service, alice, jobs } = await setUp();
      await callHandler(service.listJobs, { ...list, pageSize }, alice.metadata);
      expect(jobs.listQueries.map((q) => q.pageSize)).toEqual([expected]);
    });

    it('filters by state and names a bad one', async () => {
      const { service, alice, jobs } = await setUp();
      jobs.add(aPendingJob('job_p', { tenantId: alice.tenantId }));
      jobs.add(aPendingJob('job_r', { tenantId: alice.tenantId, state: 'running' }));
      const { jobs: running } = await callHandler(
        service.listJobs,
        { ...list, states: [JobState.JOB_STATE_RUNNING], pageSize: 0 },
        alice.metadata,
      );
      expect(running.map((j) => j.id)).toEqual(['job_r']);
      const error = await failureOf(
        callHandler(
          service.listJobs,
          { ...list, states: [JobState.JOB_STATE_UNSPECIFIED], pageSize: 0 },
          alice.metadata,
        ),
      );
      expect((error as ValidationError).violations[0]?.field).toBe('states[0]');
    });
  });

  describe('CancelJob', () => {
    it('ends a pending job at once and takes it out of the index', async () => {
      const { service, alice, jobs, pending, dispatch } = await setUp();
      jobs.add(aPendingJob('job_a', { tenantId: alice.tenantId }));
      await pending.add([{ jobId: 'job_a', priority: 100, submittedAt: 0 }]);
      const { job } = await callHandler(
        service.cancelJob,
        { jobId: 'job_a', reason: 'typo' },
        alice.metadata,
      );
      expect(job).toMatchObject({
        state: JobState.JOB_STATE_CANCELLED,
        message: 'cancelled: typo',
      });
      expect(pending.ids()).toEqual([]);
      expect(dispatch.enqueued).toEqual([]);
    });

    it('sends a stop order with the configured grace for a running job', async () => {
      const { service, alice, jobs, dispatch } = await setUp();
      jobs.add(
        aPendingJob('job_r', { tenantId: alice.tenantId, state: 'running', attempt: 2 }),
        anAttempt('job_r', 2, 'node_1', { state: 'running' }),
      );
      const { job } = await callHandler(
        service.cancelJob,
        { jobId: 'job_r', reason: '' },
        alice.metadata,
      );
      expect(job?.state).toBe(JobState.JOB_STATE_CANCELLING);
      expect(dispatch.orders()).toEqual([
        {
          kind: 'stop',
          jobId: 'job_r',
          attempt: 2,
          rank: 0,
          nodeId: 'node_1',
          graceSeconds: 9,
          reason: 'Cancelled',
        },
      ]);
    });

    it('rejects a reason over 1024 characters and a missing job_id', async () => {
      const { service, alice } = await setUp();
      const long = await failureOf(
        callHandler(
          service.cancelJob,
          { jobId: 'job_a', reason: 'r'.repeat(1025) },
          alice.metadata,
        ),
      );
      expect((long as ValidationError).violations[0]?.field).toBe('reason');
      const missing = await failureOf(
        callHandler(service.cancelJob, { jobId: '', reason: '' }, alice.metadata),
      );
      expect((missing as ValidationError).violations[0]?.field).toBe('job_id');
    });
  });

  describe('WatchJob', () => {
    function watch(service: JobServiceServer, request: WatchJobRequest, metadata: Metadata) {
      const call = new FakeStreamCall<WatchJobRequest, WatchJobResponse>(request, metadata);
      service.watchJob(call.asCall());
      return call;
    }

    it('streams the history from from_sequence, follows changes and ends after the final state', async () => {
      // Fake timers: the stream's poll never fires, so only the wake-up signal can move it on.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
      const { service, alice, jobs, effects, clock } = await setUp();
      jobs.add(
        aPendingJob('job_w', { tenantId: alice.tenantId, state: 'scheduled', attempt: 1 }),
        anAttempt('job_w', 1, 'node_1'),
      );
      const report = async (sequence: number, report: TaskReport) => {
        const { changed } = await jobs.applyTaskEvents(
          'node_1',
          [{ jobId: 'job_w', attempt: 1, rank: 0, sequence, report }],
          clock.now(),
          3,
        );
        await effects.changed(changed);
      };
      await report(1, { type: 'started', backend: 'simulated' });
      await report(2, { type: 'progress', fraction: 0.5, message: 'half' });

      const call = watch(service, { jobId: 'job_w', fromSequence: 2 }, alice.metadata);
      await call.until(() => call.written.length === 1);
      expect(call.written[0]?.event?.payload).toEqual({
        $case: 'progress',
        progress: { fraction: 0.5, message: 'half' },
      });

      await report(3, { type: 'exited', exitCode: 0, signal: '', reason: '', message: '' });
      await call.until(() => call.ended);
      expect(call.written.map((m) => m.event?.sequence)).toEqual([2, 3]);
      expect(call.written[1]?.event?.payload).toMatchObject({
        $case: 'stateChange',
        stateChange: { to: JobState.JOB_STATE_SUCCEEDED },
      });
      expect(call.error).toBeUndefined();
    });

    it('stops following a job when the client cancels', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
      const { service, alice, jobs, signals, clock } = await setUp();
      jobs.add(
        aPendingJob('job_p', { tenantId: alice.tenantId, state: 'scheduled', attempt: 1 }),
        anAttempt('job_p', 1, 'node_1'),
      );
      const started = { type: 'started' as const, backend: 'process' };
      await jobs.applyTaskEvents(
        'node_1',
        [{ jobId: 'job_p', attempt: 1, rank: 0, sequence: 1, report: started }],
        clock.now(),
        3,
      );
      const call = watch(service, { jobId: 'job_p', fromSequence: 0 }, alice.metadata);
      await call.until(() => call.written.length === 1);
      expect(signals.listenersOf('job_p')).toBe(1);
      call.cancel();
      await call.until(() => call.ended);
      expect(signals.listenersOf('job_p')).toBe(0);
      expect(call.error).toBeUndefined();
    });

    it("ends with NOT_FOUND for another tenant's job", async () => {
      const { service, alice, bob, jobs } = await setUp();
      jobs.add(aPendingJob('job_b', { tenantId: bob.tenantId }));
      const call = watch(service, { jobId: 'job_b', fromSequence: 0 }, alice.metadata);
      await call.until(() => call.error !== undefined);
      expect(call.error?.code).toBe(status.NOT_FOUND);
      expect(call.written).toEqual([]);
    });
  });
});
