/**
 * What the store offers the control plane. The control plane codes against these interfaces;
 * the Kysely implementations live beside them. Times are epoch milliseconds. Every method that
 * changes jobs applies the pure transitions of @gantry/domain (lifecycle.ts) inside one
 * transaction and appends the history entries they return.
 */
import type {
  AttemptRecord,
  Credential,
  JobEvent,
  JobRecord,
  JobSpec,
  JobState,
  Reason,
  TaskReport,
} from '@gantry/domain';

/** Who is asking: a tenant sees its own jobs; an admin sees every job. */
export interface Scope {
  readonly tenantId: string;
  readonly admin: boolean;
}

export interface TenantIdentity extends Scope {
  readonly tenantName: string;
}

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly admin: boolean;
  readonly createdAt: number;
}

export interface TenantRepository {
  /** Creates the `admin` tenant if missing and registers `key` for it (idempotent). */
  ensureAdmin(key: Credential, now: number): Promise<TenantIdentity>;
  /** AlreadyExistsError when the name is taken; ValidationError (field `name`) when malformed. */
  createTenant(name: string, now: number): Promise<{ tenant: TenantRecord; apiKey: Credential }>;
  listTenants(): Promise<TenantRecord[]>;
  /** NotFoundError when there is no such tenant. */
  createApiKey(tenantName: string, now: number): Promise<Credential>;
  /** The key's tenant, or undefined for a malformed, unknown or revoked key. */
  authenticate(presentedKey: string): Promise<TenantIdentity | undefined>;
}

/** An attempt with the name of its node, as the API shows it. */
export interface AttemptView extends AttemptRecord {
  readonly nodeName: string;
}

export interface JobView extends JobRecord {
  readonly tenantName: string;
  readonly attempts: readonly AttemptView[];
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

/** A task (one rank of an attempt) the agent must be told to stop. */
export interface StopOrder {
  readonly jobId: string;
  readonly attempt: number;
  /** The rank of a multi-node job's task; 0 for a single-node job. */
  readonly rank: number;
  readonly nodeId: string;
}

/** A leader-only write carries the fencing token of the leader's lease. */
export type FenceToken = number;

/** Where one rank of a placed job runs. */
export interface RankPlacement {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly gpuIndices: readonly number[];
}

export interface Placement {
  readonly jobId: string;
  /** One per node of the job, in rank order (a single-node job has one). */
  readonly allocations: readonly RankPlacement[];
  /** The job's class minimum runtime: protection after a restart that followed a preemption. */
  readonly protectedForSeconds?: number;
}

/** A running job the scheduler preempts (domain `requestPreemption`). */
export interface PreemptionOrder {
  readonly jobId: string;
  readonly attempt: number;
  readonly message: string;
}

/** Nodes held for a pending job while the jobs preempted for it stop. */
export interface NominationOrder {
  readonly jobId: string;
  readonly nodeIds: readonly string[];
}

/** Waiting jobs whose dependencies can never be met: they end cancelled. */
export interface DependencyFailure {
  readonly jobId: string;
  readonly message: string;
}

/** What one scheduling cycle writes, in one fenced transaction. */
export interface CycleWrite {
  readonly placements: readonly Placement[];
  readonly waiting: readonly Waiting[];
  readonly preemptions: readonly PreemptionOrder[];
  readonly nominations: readonly NominationOrder[];
  readonly dependencyFailures: readonly DependencyFailure[];
}

export interface CycleResult {
  readonly placed: readonly PlacedAttempt[];
  /** The attempts told to stop (their agents get a stop order with reason Preempted). */
  readonly preempted: readonly StopOrder[];
  /** Jobs that changed state (placed, or cancelled for a dependency). */
  readonly changed: readonly ChangedJob[];
}

/** An active attempt with what the policy needs of its job. */
export interface ActiveAttempt {
  readonly job: JobRecord;
  readonly attempt: AttemptRecord;
  readonly tenantName: string;
}

/** A finished job's runtime, for learning estimates. */
export interface FinishedRun {
  readonly tenantId: string;
  readonly gpus: number;
  readonly seconds: number;
  readonly endedAt: number;
}

export interface PlacedAttempt {
  readonly jobId: string;
  readonly attempt: number;
  /** One task per node, in rank order. */
  readonly tasks: readonly { rank: number; nodeId: string; gpuIndices: readonly number[] }[];
}

export interface Waiting {
  readonly jobId: string;
  readonly reason: string;
  readonly message: string;
}

/** A GPU allocation held by an active (dispatching or running) attempt. */
export interface Allocation {
  readonly nodeId: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly gpuIndices: readonly number[];
}

export interface ReportedEvent {
  readonly jobId: string;
  readonly attempt: number;
  /** The rank of a multi-node job's task; 0 for a single-node job. */
  readonly rank: number;
  /** The agent's per-attempt sequence (from 1); a repeat is accepted and changes nothing. */
  readonly sequence: number;
  readonly report: TaskReport;
}

export interface EventOutcome {
  readonly accepted: boolean;
  /** Why it was rejected (stale attempt, unknown job), or empty. */
  readonly message: string;
}

/** A job whose state changed, so callers can update the pending index and wake watchers. */
export interface ChangedJob {
  readonly id: string;
  readonly state: JobState;
  readonly priority: number;
  readonly submittedAt: number;
  /**
   * Tasks the change told to stop: the other ranks of a multi-node job one of whose ranks failed
   * (stop reason GangStopped). The caller sends their stop orders.
   */
  readonly stops?: readonly StopOrder[];
}

export interface DispatchWork {
  readonly jobId: string;
  readonly attempt: number;
  readonly rank: number;
  readonly nodeId: string;
  readonly gpuIndices: readonly number[];
  readonly spec: JobSpec;
  /** For a multi-node job: every rank's node, in rank order (rank 0 hosts the rendezvous). */
  readonly gang?: readonly GangMember[];
}

export interface GangMember {
  readonly rank: number;
  readonly nodeId: string;
  readonly nodeName: string;
  /** The node's agent address (host:port). */
  readonly address: string;
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

export type NodeState = 'ready' | 'lost';

export interface GpuRecord {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  /** Catalog id, or '' when unknown. */
  readonly model: string;
  readonly memoryBytes: number;
}

export interface NodeInventory {
  readonly gpus: readonly GpuRecord[];
  readonly simulated: boolean;
  readonly hostname: string;
  readonly cpuCount: number;
  readonly memoryBytes: number;
}

export interface NodeRecord {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly state: NodeState;
  readonly inventory: NodeInventory;
  readonly labels: Readonly<Record<string, string>>;
  readonly agentVersion: string;
  readonly instanceId: string;
  /** The lookup id of the node's current token (never the secret). */
  readonly tokenLookupId: string;
  readonly registeredAt: number;
  readonly lostAt: number | null;
}

export interface NodeRepository {
  /**
   * Adds a node or refreshes the one with this name (new address, inventory, instance), marks it
   * ready, and stores `token` (its lookup id and secret hash; the caller makes it, derived from
   * the bootstrap secret so it can present it to the agent later) in place of the old one, which
   * stops working.
   */
  register(input: {
    name: string;
    address: string;
    inventory: NodeInventory;
    labels: Readonly<Record<string, string>>;
    agentVersion: string;
    instanceId: string;
    token: Credential;
    now: number;
  }): Promise<{ node: NodeRecord; previousInstanceId: string | null }>;
  /** The node a token belongs to, or undefined. */
  authenticate(presentedToken: string): Promise<NodeRecord | undefined>;
  get(nodeId: string): Promise<NodeRecord | undefined>;
  list(): Promise<NodeRecord[]>;
  /**
   * Fenced. Marks the node lost and abandons each of its active attempts (cause NodeLost).
   * Returns the jobs that changed. No-op for a node already lost.
   */
  markLost(
    fence: FenceToken,
    nodeId: string,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob[]>;
  /** A lost node that heartbeats again is ready again. */
  markReady(nodeId: string, now: number): Promise<void>;
}
