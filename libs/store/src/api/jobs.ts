/** The job repository: submit, read, cancel; the leader's cycle; agents' reports. */
import type {
  AttemptRecord,
  JobEvent,
  JobRecord,
  JobResult,
  JobSpec,
  JobState,
  Reason,
} from '@gantry/domain';
import type { DispatchWork, EventOutcome, ReportedEvent } from './agents';
import type {
  ActiveAttempt,
  Allocation,
  ChangedJob,
  CycleResult,
  CycleWrite,
  FenceToken,
  FinishedRun,
  StopOrder,
} from './cycle';
import type { Scope } from './tenants';

/** An attempt with the name of its node, as the API shows it. */
export interface AttemptView extends AttemptRecord {
  readonly nodeName: string;
}

export interface JobView extends JobRecord {
  readonly tenantName: string;
  readonly attempts: readonly AttemptView[];
  /** For a shard: its batch or RL job. */
  readonly parentJobId: string | null;
  /** What a job of an inference kind produced so far; null for the other kinds. */
  readonly result: JobResult | null;
}

export interface ListJobsQuery {
  readonly states: readonly JobState[];
  /** Empty: every queue. */
  readonly queue: string;
  /** 1-1000. */
  readonly pageSize: number;
  /** From a previous page; ValidationError (field `page_token`) when not one this store issued. */
  readonly pageToken: string;
}

export interface JobRepository {
  /**
   * Records a new pending job (and its first history entry) and returns it once committed.
   * Same tenant + idempotency key + same spec (and array range) returns the existing job (and
   * array) with created=false; another spec is AlreadyExistsError naming the job. ValidationError
   * for an unknown `spec.priority_class`, a dependency that is not one of the tenant's jobs, or
   * a malformed `array`. `job` is an array's first element; `arrayJobIds` its elements in index
   * order (empty for a single job).
   */
  submit(input: {
    tenantId: string;
    spec: JobSpec;
    idempotencyKey: string | null;
    /** A job array: one job per index (domain `arrayElementSpec`), in one transaction. */
    array?: { readonly first: number; readonly last: number };
    now: number;
  }): Promise<{ job: JobView; created: boolean; arrayJobIds: string[] }>;
  /** NotFoundError for a missing job or another tenant's (unless admin). */
  get(scope: Scope, jobId: string): Promise<JobView>;
  /** Newest first. */
  list(scope: Scope, query: ListJobsQuery): Promise<{ jobs: JobView[]; nextPageToken: string }>;
  /**
   * Cancels (domain `cancel`). A pending job ends at once; a placed one goes to cancelling and
   * `stops` names the active tasks (every rank) whose agents must stop them. An ended job is
   * returned unchanged.
   */
  cancel(
    scope: Scope,
    jobId: string,
    reason: string,
    now: number,
  ): Promise<{ job: JobView; stops: StopOrder[] }>;
  /** History entries with sequence >= fromSequence, oldest first, at most `limit`. */
  events(scope: Scope, jobId: string, fromSequence: number, limit: number): Promise<JobEvent[]>;

  // --- scheduler (leader) ---
  /** The given jobs that are still pending, in no particular order. */
  loadPending(jobIds: readonly string[]): Promise<JobRecord[]>;
  /**
   * Per job, the seconds its ended attempts ran (rank 0, start to end; grace periods included),
   * so the policy counts a preempted or requeued job's waiting from its submit time plus that
   * (PendingJob.waitingSince, aging: ADR 13). Jobs with no ended attempt that started are absent.
   */
  earlierRunSeconds(jobIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Every pending job that could run now (id, priority, submit time), for rebuilding the Redis
   * pending index; jobs waiting for a job they depend on to end are left out.
   */
  pendingEntries(afterJobId: string, limit: number): Promise<ChangedJob[]>;
  activeAllocations(): Promise<Allocation[]>;
  /**
   * Fenced: AbortedError when a newer fence token has written, and nothing is written. In one
   * transaction: places each job still pending on a ready node onto GPUs no active attempt
   * holds (domain `place`, with the placement's protectedForSeconds); asks each named current
   * attempt to stop (domain `requestPreemption`); cancels each pending job whose dependencies
   * can never be met (domain `failDependency`); sets the nominated nodes of pending jobs; sets
   * reason/message on waiting jobs still pending (no history entry). `preempted` holds a stop
   * order for every named attempt that is active and marked Preempted (newly or before, so a
   * lost order is sent again when the policy repeats it).
   */
  commitCycle(fence: FenceToken, write: CycleWrite, now: number): Promise<CycleResult>;
  /** Every active attempt that is its job's current one, with its job; in job id order. */
  activeAttempts(): Promise<ActiveAttempt[]>;
  /** The state of each of the jobs that exists (missing ids are left out). */
  jobStates(jobIds: readonly string[]): Promise<Map<string, JobState>>;
  /**
   * The runs of jobs that ended on their own (succeeded or failed) after `since` (epoch ms):
   * the newest `limit`, oldest first; `seconds` is the final attempt's end minus its start.
   */
  finishedRuns(since: number, limit: number): Promise<FinishedRun[]>;
  /**
   * A checkpoint reported through the API (domain `recordCheckpoint`): NotFoundError for a
   * missing job or another tenant's (unless admin); FailedPreconditionError unless running.
   */
  recordCheckpoint(scope: Scope, jobId: string, message: string, now: number): Promise<JobView>;
  /** Tasks placed but not yet confirmed by their agent, for re-dispatch after a crash. */
  dispatchingWork(): Promise<DispatchWork[]>;
  /**
   * The work of one task if it is still its job's current, dispatching attempt and was not told
   * to stop (a gang whose other rank failed).
   */
  dispatchWork(jobId: string, attempt: number, rank?: number): Promise<DispatchWork | undefined>;

  // --- agents ---
  /**
   * Applies each report in order (domain `applyTaskReport`, with the attempt's other ranks and
   * maxAttempts for multi-node jobs); one outcome per report.
   */
  applyTaskEvents(
    nodeId: string,
    events: readonly ReportedEvent[],
    now: number,
    maxAttempts: number,
  ): Promise<{ outcomes: EventOutcome[]; changed: ChangedJob[] }>;
  /**
   * Gives up on an attempt (domain `abandonAttempt`): the job goes back to pending, or fails
   * after maxAttempts, or ends cancelled if it was being cancelled. No-op for a stale attempt.
   */
  abandonAttempt(
    jobId: string,
    attempt: number,
    cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
    detail: string,
    maxAttempts: number,
    now: number,
    rank?: number,
  ): Promise<ChangedJob | undefined>;
  /** Active attempts on a node. */
  activeAttemptsOn(nodeId: string): Promise<AttemptRecord[]>;
  /**
   * Of the tasks an agent says it runs, those it must stop (not current, ended, cancelling, or
   * a gang rank told to stop).
   */
  stopOrders(
    nodeId: string,
    running: readonly { jobId: string; attempt: number }[],
  ): Promise<StopOrder[]>;
  /** Active tasks of jobs in state cancelling, to resend their stop orders. */
  cancellingAttempts(): Promise<StopOrder[]>;
  /** Active tasks of multi-node jobs told to stop because another rank failed, to resend. */
  gangStoppedAttempts(): Promise<StopOrder[]>;
  /** Active attempts marked preempted (with their job's class), to resend their stop orders. */
  preemptingAttempts(): Promise<Array<StopOrder & { readonly priorityClass: string }>>;
}
