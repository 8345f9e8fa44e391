/**
 * The tenant-facing half of the in-memory JobRepository (submit, get, list, cancel, events,
 * checkpoints), for unit tests only: tenants see their own jobs, and cancel and checkpoints
 * apply the domain transitions.
 */
import {
  AlreadyExistsError,
  cancel,
  isAttemptActive,
  newJobRecords,
  submittedEntry,
  type SubmitRequest,
  NotFoundError,
  recordCheckpoint,
  ValidationError,
  type AttemptRecord,
  type Clock,
  type FieldViolation,
  type JobEvent,
  type JobRecord,
} from '@gantry/domain';
import type { JobView, ListJobsQuery, PolicyRepository, Scope, StopOrder } from '@gantry/store';
import { attemptKey, JobRecords } from './job-records';

const MAX_CHECKPOINT_MESSAGE = 1024;

export abstract class InMemoryJobApi extends JobRecords {
  readonly listQueries: ListJobsQuery[] = [];

  constructor(
    protected readonly clock: Clock,
    /** Where submit looks up priority classes; without one, any class is accepted. */
    private readonly policy?: Pick<PolicyRepository, 'listClasses'>,
  ) {
    super();
  }

  add(job: JobRecord, ...attempts: AttemptRecord[]): JobRecord {
    this.jobs.set(job.id, job);
    for (const attempt of attempts)
      this.attempts.set(attemptKey(job.id, attempt.number, attempt.rank), attempt);
    return job;
  }

  job(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`test set-up: no job ${id}`);
    return job;
  }

  protected view(job: JobRecord): JobView {
    const attempts = this.attemptsOf(job.id).map((a) => ({ ...a, nodeName: a.nodeId }));
    return { ...job, tenantName: job.tenantId, attempts, parentJobId: null, result: null };
  }

  protected scoped(scope: Scope, jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job || (!scope.admin && job.tenantId !== scope.tenantId))
      throw new NotFoundError('job', jobId);
    return job;
  }

  /**
   * As the store: the class must exist (when a policy repository was given) and each
   * dependency must be one of the tenant's jobs (ValidationError naming the field); the same
   * tenant, key and spec (and range) returns the earlier job and array, another spec is
   * AlreadyExistsError.
   */
  async submit(
    input: SubmitRequest,
  ): Promise<{ job: JobView; created: boolean; arrayJobIds: string[] }> {
    const jobs = newJobRecords(this.clock, input);
    await this.checkReferences(input);
    const earlier = [...this.jobs.values()].find(
      (j) =>
        input.idempotencyKey !== null &&
        j.tenantId === input.tenantId &&
        j.idempotencyKey === input.idempotencyKey,
    );
    if (earlier) {
      if (earlier.specHash !== jobs[0]!.specHash)
        throw new AlreadyExistsError(
          `idempotency key "${input.idempotencyKey}" was already used for job ${earlier.id} with a different spec`,
        );
      return { job: this.view(earlier), created: false, arrayJobIds: this.elementsOf(earlier) };
    }
    for (const job of jobs) {
      this.add(job);
      this.history.set(job.id, [{ ...submittedEntry(job), sequence: 1, time: input.now }]);
    }
    return { job: this.view(jobs[0]!), created: true, arrayJobIds: this.elementsOf(jobs[0]!) };
  }

  private elementsOf(job: JobRecord): string[] {
    if (job.arrayId === null) return [];
    return [...this.jobs.values()]
      .filter((j) => j.arrayId === job.arrayId)
      .sort((a, b) => (a.arrayIndex ?? 0) - (b.arrayIndex ?? 0))
      .map((j) => j.id);
  }

  private async checkReferences(input: SubmitRequest): Promise<void> {
    const problems: FieldViolation[] = [];
    const classes = this.policy ? await this.policy.listClasses() : undefined;
    if (classes && !classes.some((c) => c.name === input.spec.priorityClass)) {
      problems.push({
        field: 'spec.priority_class',
        message: `no priority class named "${input.spec.priorityClass}" (one of ${classes.map((c) => c.name).join(', ')})`,
      });
    }
    input.spec.dependencies.forEach(({ jobId }, i) => {
      if (this.jobs.get(jobId)?.tenantId !== input.tenantId)
        problems.push({
          field: `spec.dependencies[${i}].job_id`,
          message: `no job ${jobId}`,
        });
    });
    if (problems.length > 0) throw new ValidationError(problems);
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
    const stops: StopOrder[] =
      updated.state === 'cancelling'
        ? this.ranksOf(jobId, updated.attempt)
            .filter((r) => isAttemptActive(r.state))
            .map((r) => ({ jobId, attempt: r.number, rank: r.rank, nodeId: r.nodeId }))
        : [];
    return { job: this.view(updated), stops };
  }

  async recordCheckpoint(scope: Scope, jobId: string, message: string, now: number) {
    if (message.length > MAX_CHECKPOINT_MESSAGE)
      throw ValidationError.field(
        'message',
        `must be at most ${MAX_CHECKPOINT_MESSAGE} characters (got ${message.length})`,
      );
    const job = this.scoped(scope, jobId);
    return this.view(this.apply(job, job.attempt, recordCheckpoint(job, message, now), now));
  }

  async events(scope: Scope, jobId: string, from: number, limit: number): Promise<JobEvent[]> {
    this.scoped(scope, jobId);
    return (this.history.get(jobId) ?? []).filter((e) => e.sequence >= from).slice(0, limit);
  }
}
