import type { Kysely } from 'kysely';
import type { AttemptRecord, Clock, JobEvent, JobRecord, JobState, Reason } from '@gantry/domain';
import type {
  ActiveAttempt,
  Allocation,
  ChangedJob,
  CycleResult,
  CycleWrite,
  DispatchWork,
  EventOutcome,
  FenceToken,
  FinishedRun,
  JobRepository,
  JobView,
  ListJobsQuery,
  ReportedEvent,
  Scope,
  StopOrder,
} from '../api';
import type { Database } from '../database/database';
import type { Schema } from '../schema';
import { abandonAttempt } from './abandon';
import {
  activeAttemptsOn,
  cancellingAttempts,
  gangStoppedAttempts,
  preemptingAttempts,
  stopOrders,
} from './agent-reads';
import { cancelJob } from './cancel';
import { recordCheckpoint } from './checkpoint';
import { commitCycle } from './commit-cycle';
import { activeAttempts, finishedRuns, jobStates } from './policy-reads';
import { getJob, jobEvents, listJobs } from './queries';
import {
  activeAllocations,
  dispatchingWork,
  earlierRunSeconds,
  loadPending,
  pendingEntries,
} from './scheduler-reads';
import { submitJob, type SubmitInput } from './submit';
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

  submit(input: SubmitInput): Promise<{ job: JobView; created: boolean; arrayJobIds: string[] }> {
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
  ): Promise<{ job: JobView; stops: StopOrder[] }> {
    return cancelJob(this.db, scope, jobId, reason, now);
  }

  events(scope: Scope, jobId: string, fromSequence: number, limit: number): Promise<JobEvent[]> {
    return jobEvents(this.db, scope, jobId, fromSequence, limit);
  }

  loadPending(jobIds: readonly string[]): Promise<JobRecord[]> {
    return loadPending(this.db, jobIds);
  }

  earlierRunSeconds(jobIds: readonly string[]): Promise<Map<string, number>> {
    return earlierRunSeconds(this.db, jobIds);
  }

  pendingEntries(afterJobId: string, limit: number): Promise<ChangedJob[]> {
    return pendingEntries(this.db, afterJobId, limit);
  }

  activeAllocations(): Promise<Allocation[]> {
    return activeAllocations(this.db);
  }

  commitCycle(fence: FenceToken, write: CycleWrite, now: number): Promise<CycleResult> {
    return commitCycle(this.db, fence, write, now);
  }

  activeAttempts(): Promise<ActiveAttempt[]> {
    return activeAttempts(this.db);
  }

  jobStates(jobIds: readonly string[]): Promise<Map<string, JobState>> {
    return jobStates(this.db, jobIds);
  }

  finishedRuns(since: number, limit: number): Promise<FinishedRun[]> {
    return finishedRuns(this.db, since, limit);
  }

  recordCheckpoint(scope: Scope, jobId: string, message: string, now: number): Promise<JobView> {
    return recordCheckpoint(this.db, scope, jobId, message, now);
  }

  dispatchingWork(): Promise<DispatchWork[]> {
    return dispatchingWork(this.db);
  }

  async dispatchWork(jobId: string, attempt: number, rank = 0): Promise<DispatchWork | undefined> {
    const [work] = await dispatchingWork(this.db, { jobId, attempt, rank });
    return work;
  }

  applyTaskEvents(
    nodeId: string,
    events: readonly ReportedEvent[],
    now: number,
    maxAttempts: number,
  ): Promise<{ outcomes: EventOutcome[]; changed: ChangedJob[] }> {
    return applyTaskEvents(this.db, nodeId, events, now, maxAttempts);
  }

  abandonAttempt(
    jobId: string,
    attempt: number,
    cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
    detail: string,
    maxAttempts: number,
    now: number,
    rank = 0,
  ): Promise<ChangedJob | undefined> {
    return abandonAttempt(this.db, jobId, attempt, { cause, detail, maxAttempts, now }, rank);
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

  preemptingAttempts(): Promise<Array<StopOrder & { priorityClass: string }>> {
    return preemptingAttempts(this.db);
  }

  gangStoppedAttempts(): Promise<StopOrder[]> {
    return gangStoppedAttempts(this.db);
  }
}
