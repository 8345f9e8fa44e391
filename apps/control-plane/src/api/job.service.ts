/**
 * JobService: the submitter API. Contracts per RPC:
 * - SubmitJob: reads the tenant's key; validates the spec; writes the job + its first event in
 *   one PostgreSQL transaction and only then answers; then (best effort) adds it to the Redis
 *   pending index and wakes the scheduler.
 * - GetJob / ListJobs: read PostgreSQL, scoped to the tenant (another tenant's job: NOT_FOUND).
 * - CancelJob: writes the cancel transition; a placed job gets a stop order on the dispatch queue.
 * - WatchJob: see watch.ts.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { type ControlPlaneConfig } from '@gantry/config';
import { arrayIndices, parseJobSpec, ValidationError, type Clock } from '@gantry/domain';
import { type CallObserver, serverStreaming, unary } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { DispatchQueue } from '@gantry/queue';
import type { JobRepository } from '@gantry/store';
import { changedOf, JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CLOCK, CONFIG, DISPATCH_QUEUE, JOBS } from '../infrastructure/tokens';
import { AuthService } from './auth.service';
import { SubmitValidator } from './submit-validator';
import { toProtoJob } from './mappers/job.mapper';
import { specInput } from '@gantry/grpc';
import { fromProtoJobStates } from './mappers/state.mapper';
import { WatchStreamer } from './watch';

const MAX_KEY_LENGTH = 128;

@Injectable()
export class JobServiceHandlers {
  constructor(
    private readonly auth: AuthService,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
    private readonly watcher: WatchStreamer,
    private readonly validator: SubmitValidator,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  implementation(observer: CallObserver): pb.JobServiceServer {
    return {
      submitJob: unary(
        'SubmitJob',
        (req: pb.SubmitJobRequest, call) => this.submit(req, call.metadata),
        observer,
      ),
      getJob: unary(
        'GetJob',
        (req: pb.GetJobRequest, call) => this.get(req, call.metadata),
        observer,
      ),
      listJobs: unary(
        'ListJobs',
        (req: pb.ListJobsRequest, call) => this.list(req, call.metadata),
        observer,
      ),
      recordCheckpoint: unary(
        'RecordCheckpoint',
        async (req: pb.RecordCheckpointRequest, call) => {
          const identity = await this.auth.tenant(call.metadata);
          if (!req.jobId) throw ValidationError.field('job_id', 'is required');
          if (req.message.length > 1024)
            throw ValidationError.field('message', 'must be at most 1024 characters');
          const job = await this.jobs.recordCheckpoint(
            identity,
            req.jobId,
            req.message,
            this.clock.now(),
          );
          await this.effects.wake([job.id], false);
          return { job: toProtoJob(job) };
        },
        observer,
      ),
      cancelJob: unary(
        'CancelJob',
        (req: pb.CancelJobRequest, call) => this.cancel(req, call.metadata),
        observer,
      ),
      watchJob: serverStreaming(
        'WatchJob',
        async (req: pb.WatchJobRequest, call) =>
          this.watcher.stream(await this.auth.tenant(call.metadata), req, call),
        observer,
      ),
    };
  }

  private async submit(
    req: pb.SubmitJobRequest,
    metadata: Metadata,
  ): Promise<pb.SubmitJobResponse> {
    const identity = await this.auth.tenant(metadata);
    const key = req.idempotencyKey.trim();
    if (key.length > MAX_KEY_LENGTH || [...key].some((c) => c < ' ')) {
      throw ValidationError.field(
        'idempotency_key',
        `must be at most ${MAX_KEY_LENGTH} printable characters`,
      );
    }
    const spec = parseJobSpec(specInput(req.spec));
    if (req.array) arrayIndices(req.array.first, req.array.last);
    await this.validator.check(spec, identity, req.array !== undefined);
    const { job, created, arrayJobIds } = await this.jobs.submit({
      tenantId: identity.tenantId,
      spec,
      idempotencyKey: key === '' ? null : key,
      array: req.array,
      now: this.clock.now(),
    });
    if (created) {
      const ids = arrayJobIds.length > 0 ? arrayJobIds : [job.id];
      this.metrics.jobsSubmitted.inc(ids.length);
      await this.effects.changed(ids.map((id) => ({ ...changedOf(job), id })));
    }
    return { job: toProtoJob(job), created, arrayJobIds };
  }

  private async get(req: pb.GetJobRequest, metadata: Metadata): Promise<pb.GetJobResponse> {
    const identity = await this.auth.tenant(metadata);
    if (!req.jobId) throw ValidationError.field('job_id', 'is required');
    return { job: toProtoJob(await this.jobs.get(identity, req.jobId)) };
  }

  private async list(req: pb.ListJobsRequest, metadata: Metadata): Promise<pb.ListJobsResponse> {
    const identity = await this.auth.tenant(metadata);
    if (req.pageSize < 0 || req.pageSize > 1000)
      throw ValidationError.field('page_size', 'must be 0-1000 (0 means 100)');
    const { jobs, nextPageToken } = await this.jobs.list(identity, {
      states: fromProtoJobStates(req.states),
      queue: req.queue,
      pageSize: req.pageSize || 100,
      pageToken: req.pageToken,
    });
    return { jobs: jobs.map(toProtoJob), nextPageToken };
  }

  private async cancel(
    req: pb.CancelJobRequest,
    metadata: Metadata,
  ): Promise<pb.CancelJobResponse> {
    const identity = await this.auth.tenant(metadata);
    if (!req.jobId) throw ValidationError.field('job_id', 'is required');
    if (req.reason.length > 1024)
      throw ValidationError.field('reason', 'must be at most 1024 characters');
    const now = this.clock.now();
    const { job, stops } = await this.jobs.cancel(identity, req.jobId, req.reason, now);
    for (const stop of stops) {
      await this.dispatch
        .enqueue({
          kind: 'stop',
          ...stop,
          graceSeconds: this.config.cancelGraceSeconds,
          reason: 'Cancelled',
        })
        .catch(() => undefined); // the reconciler resends stop orders of cancelling jobs
    }
    await this.effects.changed([changedOf(job)]);
    return { job: toProtoJob(job) };
  }
}
