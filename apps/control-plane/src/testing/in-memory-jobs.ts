/**
 * JobRepository (libs/store/src/api.ts) in memory, for unit tests only. It applies the domain's
 * pure transitions like the PostgreSQL store does, and records the leader's fenced writes.
 */
import {
  AbortedError,
  abandonAttempt,
  AlreadyExistsError,
  applyTaskReport,
  cancel,
  contentHash,
  FailedPreconditionError,
  isAttemptActive,
  newId,
  NotFoundError,
  place,
  Reason,
  type AttemptRecord,
  type Clock,
  type JobEvent,
  type JobRecord,
  type JobSpec,
} from '@gantry/domain';
import type {
  Allocation,
  ChangedJob,
  DispatchWork,
  EventOutcome,
  FenceToken,
  JobRepository,
  JobView,
  ListJobsQuery,
  PlacedAttempt,
  Placement,
  ReportedEvent,
  Scope,
  StopOrder,
  Waiting,
} from '@gantry/store';
import { changedOf } from '../effects/job-effects.service';
import { attemptKey, JobRecords } from './job-records';

export interface CommitCall {
  readonly fence: FenceToken;
  readonly placements: readonly Placement[];
  readonly waiting: readonly Waiting[];
}

export class InMemoryJobRepository extends JobRecords implements JobRepository {
  readonly commits: CommitCall[] = [];
  readonly abandoned: { jobId: string; attempt: number; cause: string; detail: string }[] = [];
  readonly listQueries: ListJobsQuery[] = [];
  private highestFence = 0;

  constructor(private readonly clock: Clock) {
    super();
  }

  /** The highest fence token a commit carried. */
  get fence(): number {
    return this.highestFence;
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

  private view(job: JobRecord): JobView {
    const attempts = this.attemptsOf(job.id).map((a) => ({ ...a, nodeName: a.nodeId }));
    return { ...job, tenantName: job.tenantId, attempts };
  }

  private scoped(scope: Scope, jobId: string): JobRecord {
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

  async loadPending(jobIds: readonly string[]): Promise<JobRecord[]> {
    return jobIds.flatMap((id) => {
      const job = this.jobs.get(id);
      return job?.state === 'pending' ? [job] : [];
    });
  }

  async pendingEntries(afterJobId: string, limit: number): Promise<ChangedJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'pending' && j.id > afterJobId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(changedOf);
  }

  async activeAllocations(): Promise<Allocation[]> {
    return [...this.attempts.values()]
      .filter((a) => isAttemptActive(a.state))
      .map((a) => ({
        nodeId: a.nodeId,
        jobId: a.jobId,
        attempt: a.number,
        gpuIndices: a.gpuIndices,
      }));
  }

  async commitCycle(
    fence: FenceToken,
    placements: readonly Placement[],
    waiting: readonly Waiting[],
    now: number,
  ): Promise<PlacedAttempt[]> {
    if (fence < this.highestFence)
      throw new AbortedError(`fence ${fence} is older than ${this.highestFence}`);
    this.highestFence = fence;
    this.commits.push({ fence, placements, waiting });
    const placed: PlacedAttempt[] = [];
    for (const placement of placements) {
      const job = this.jobs.get(placement.jobId);
      if (job?.state !== 'pending') continue;
      this.apply(job, job.attempt + 1, place(job, placement, now), now);
      const { jobId, nodeId, gpuIndices } = placement;
      placed.push({ jobId, attempt: job.attempt + 1, nodeId, gpuIndices: [...gpuIndices] });
    }
    for (const wait of waiting) {
      const job = this.jobs.get(wait.jobId);
      if (job?.state === 'pending')
        this.jobs.set(job.id, { ...job, reason: wait.reason, message: wait.message });
    }
    return placed;
  }

  async dispatchingWork(): Promise<DispatchWork[]> {
    return [...this.jobs.values()].flatMap((job) => {
      const attempt = this.currentAttempt(job);
      if (job.state !== 'scheduled' || attempt?.state !== 'dispatching') return [];
      const { number, nodeId, gpuIndices } = attempt;
      return [{ jobId: job.id, attempt: number, nodeId, gpuIndices, spec: job.spec }];
    });
  }

  async dispatchWork(jobId: string, attempt: number): Promise<DispatchWork | undefined> {
    return (await this.dispatchingWork()).find((w) => w.jobId === jobId && w.attempt === attempt);
  }

  async applyTaskEvents(nodeId: string, events: readonly ReportedEvent[], now: number) {
    const outcomes: EventOutcome[] = [];
    const changed = new Map<string, ChangedJob>();
    for (const event of events) {
      const job = this.jobs.get(event.jobId);
      if (!job) {
        outcomes.push({ accepted: false, message: `job ${event.jobId} not found` });
        continue;
      }
      const attempt = this.attempts.get(attemptKey(job.id, event.attempt));
      try {
        const change = applyTaskReport(job, attempt, nodeId, event.sequence, event.report, now);
        const updated = this.apply(job, event.attempt, change, now);
        if (change.events.length > 0) changed.set(job.id, changedOf(updated));
        outcomes.push({ accepted: true, message: '' });
      } catch (error) {
        if (!(error instanceof FailedPreconditionError)) throw error;
        outcomes.push({ accepted: false, message: error.message });
      }
    }
    return { outcomes, changed: [...changed.values()] };
  }

  async abandonAttempt(
    jobId: string,
    attempt: number,
    cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob | undefined> {
    this.abandoned.push({ jobId, attempt, cause, detail });
    const job = this.jobs.get(jobId);
    const record = this.attempts.get(attemptKey(jobId, attempt));
    if (!job || !record) return undefined;
    const change = abandonAttempt(job, record, cause, detail, maxAttempts, now);
    if (change.events.length === 0) return undefined;
    return changedOf(this.apply(job, attempt, change, now));
  }

  async activeAttemptsOn(nodeId: string): Promise<AttemptRecord[]> {
    return [...this.attempts.values()].filter(
      (a) => a.nodeId === nodeId && isAttemptActive(a.state),
    );
  }

  async stopOrders(nodeId: string, running: readonly { jobId: string; attempt: number }[]) {
    return running
      .filter(({ jobId, attempt }) => {
        const job = this.jobs.get(jobId);
        const record = this.attempts.get(attemptKey(jobId, attempt));
        const keep =
          job?.attempt === attempt &&
          job.state !== 'cancelling' &&
          record?.nodeId === nodeId &&
          isAttemptActive(record.state);
        return !keep;
      })
      .map(({ jobId, attempt }) => ({ jobId, attempt, nodeId }));
  }

  async cancellingAttempts(): Promise<StopOrder[]> {
    return [...this.jobs.values()].flatMap((job) => {
      const attempt = this.currentAttempt(job);
      if (job.state !== 'cancelling' || !attempt || !isAttemptActive(attempt.state)) return [];
      return [{ jobId: job.id, attempt: attempt.number, nodeId: attempt.nodeId }];
    });
  }
}
