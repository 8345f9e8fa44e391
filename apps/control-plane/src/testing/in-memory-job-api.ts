/**
 * The tenant-facing half of the in-memory JobRepository (submit, get, list, cancel, events),
 * for unit tests only: tenants see their own jobs, and cancel applies the domain transition.
 */
import {
  AlreadyExistsError,
  cancel,
  contentHash,
  newId,
  NotFoundError,
  Reason,
  type AttemptRecord,
  type Clock,
  type JobEvent,
  type JobRecord,
  type JobSpec,
} from '@gantry/domain';
import type { JobView, ListJobsQuery, Scope, StopOrder } from '@gantry/store';
import { attemptKey, JobRecords } from './job-records';

export abstract class InMemoryJobApi extends JobRecords {
  readonly listQueries: ListJobsQuery[] = [];

  constructor(protected readonly clock: Clock) {
    super();
  }

  add(job: JobRecord, ...attempts: AttemptRecord[]): JobRecord {
    this.jobs.set(job.id, job);
    for (const attempt of attempts) this.attempts.set(attemptKey(job.id, attempt.number), attempt);
    return job;
  }

  job(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`test set-up: no job ${id}`);
    return job;
  }

  protected view(job: JobRecord): JobView {
    const attempts = this.attemptsOf(job.id).map((a) => ({ ...a, nodeName: a.nodeId }));
    return { ...job, tenantName: job.tenantId, attempts };
  }

  protected scoped(scope: Scope, jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job || (!scope.admin && job.tenantId !== scope.tenantId))
      throw new NotFoundError('job', jobId);
    return job;
  }

  async submit(input: {
    tenantId: string;
    spec: JobSpec;
    idempotencyKey: string | null;
    now: number;
  }): Promise<{ job: JobView; created: boolean }> {
    const specHash = contentHash(input.spec);
    const earlier = [...this.jobs.values()].find(
      (j) => input.idempotencyKey !== null && j.idempotencyKey === input.idempotencyKey,
    );
    if (earlier && earlier.tenantId === input.tenantId) {
      if (earlier.specHash !== specHash)
        throw new AlreadyExistsError(`idempotency key names job ${earlier.id} with another spec`);
      return { job: this.view(earlier), created: false };
    }
    const job = this.add({
      id: newId('job', this.clock),
      tenantId: input.tenantId,
      spec: input.spec,
      specHash,
      idempotencyKey: input.idempotencyKey,
      state: 'pending',
      reason: Reason.Submitted,
      message: 'waiting for the scheduler',
      attempt: 0,
      progress: 0,
      exitCode: null,
      submittedAt: input.now,
      startedAt: null,
      endedAt: null,
    });
    return { job: this.view(job), created: true };
  }

  async get(scope: Scope, jobId: string): Promise<JobView> {
    return this.view(this.scoped(scope, jobId));
  }

  async list(
    scope: Scope,
    query: ListJobsQuery,
  ): Promise<{ jobs: JobView[]; nextPageToken: string }> {
    this.listQueries.push(query);
    const jobs = [...this.jobs.values()]
      .filter((j) => scope.admin || j.tenantId === scope.tenantId)
      .filter((j) => query.states.length === 0 || query.states.includes(j.state))
      .filter((j) => query.queue === '' || j.spec.queue === query.queue)
      .sort((a, b) => b.submittedAt - a.submittedAt);
    return { jobs: jobs.slice(0, query.pageSize).map((j) => this.view(j)), nextPageToken: '' };
  }

  async cancel(scope: Scope, jobId: string, reason: string, now: number) {
    const job = this.scoped(scope, jobId);
    const updated = this.apply(job, job.attempt, cancel(job, reason, now), now);
    const attempt = this.currentAttempt(updated);
    const stop: StopOrder | undefined =
      updated.state === 'cancelling' && attempt
        ? { jobId, attempt: attempt.number, nodeId: attempt.nodeId }
        : undefined;
    return stop ? { job: this.view(updated), stop } : { job: this.view(updated) };
  }

  async events(scope: Scope, jobId: string, from: number, limit: number): Promise<JobEvent[]> {
    this.scoped(scope, jobId);
    return (this.history.get(jobId) ?? []).filter((e) => e.sequence >= from).slice(0, limit);
  }
}
