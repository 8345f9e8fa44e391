import type { Kysely } from 'kysely';
import type { AttemptRecord, Clock, JobEvent, JobRecord, JobSpec, Reason } from '@gantry/domain';
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
} from '../api';
import type { Database } from '../database/database';
import type { Schema } from '../schema';
import { abandonAttempt } from './abandon';
import { activeAttemptsOn, cancellingAttempts, stopOrders } from './agent-reads';
import { cancelJob } from './cancel';
import { commitCycle } from './commit-cycle';
import { getJob, jobEvents, listJobs } from './queries';
import { activeAllocations, dispatchingWork, loadPending, pendingEntries } from './scheduler-reads';
import { submitJob } from './submit';
import { applyTaskEvents } from './task-events';

/**
 * Jobs, attempts and their history in PostgreSQL. Each method is one module's function (see
 * the contract header there). The clock names new jobs (ids are ULIDs: they sort by time).
 */
export class KyselyJobRepository implements JobRepository {
  private readonly db: Kysely<Schema>;

  constructor(
    database: Pick<Database, 'db'>,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
  }

  submit(input: {
    tenantId: string;
    spec: JobSpec;
    idempotencyKey: string | null;
    now: number;
  }): Promise<{ job: JobView; created: boolean }> {
    return submitJob(this.db, this.clock, input);
  }

  get(scope: Scope, jobId: string): Promise<JobView> {
    return getJob(this.db, scope, jobId);
  }

  list(scope: Scope, query: ListJobsQuery): Promise<{ jobs: JobView[]; nextPageToken: string }> {
    return listJobs(this.db, scope, query);
  }

  cancel(
    scope: Scope,
    jobId: string,
    reason: string,
    now: number,
  ): Promise<{ job: JobView; stop?: StopOrder }> {
    return cancelJob(this.db, scope, jobId, reason, now);
  }

  events(scope: Scope, jobId: string, fromSequence: number, limit: number): Promise<JobEvent[]> {
    return jobEvents(this.db, scope, jobId, fromSequence, limit);
  }

  loadPending(jobIds: readonly string[]): Promise<JobRecord[]> {
    return loadPending(this.db, jobIds);
  }

  pendingEntries(afterJobId: string, limit: number): Promise<ChangedJob[]> {
    return pendingEntries(this.db, afterJobId, limit);
  }

  activeAllocations(): Promise<Allocation[]> {
    return activeAllocations(this.db);
  }

  commitCycle(
    fence: FenceToken,
    placements: readonly Placement[],
    waiting: readonly Waiting[],
    now: number,
  ): Promise<PlacedAttempt[]> {
    return commitCycle(this.db, fence, placements, waiting, now);
  }

  dispatchingWork(): Promise<DispatchWork[]> {
    return dispatchingWork(this.db);
  }

  async dispatchWork(jobId: string, attempt: number): Promise<DispatchWork | undefined> {
    const [work] = await dispatchingWork(this.db, { jobId, attempt });
    return work;
  }

  applyTaskEvents(
    nodeId: string,
    events: readonly ReportedEvent[],
    now: number,
  ): Promise<{ outcomes: EventOutcome[]; changed: ChangedJob[] }> {
    return applyTaskEvents(this.db, nodeId, events, now);
  }

  abandonAttempt(
    jobId: string,
    attempt: number,
    cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob | undefined> {
    return abandonAttempt(this.db, jobId, attempt, { cause, detail, maxAttempts, now });
  }

  activeAttemptsOn(nodeId: string): Promise<AttemptRecord[]> {
    return activeAttemptsOn(this.db, nodeId);
  }

  stopOrders(
    nodeId: string,
    running: readonly { jobId: string; attempt: number }[],
  ): Promise<StopOrder[]> {
    return stopOrders(this.db, nodeId, running);
  }

  cancellingAttempts(): Promise<StopOrder[]> {
    return cancellingAttempts(this.db);
  }
}
