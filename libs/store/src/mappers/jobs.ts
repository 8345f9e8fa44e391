/** Rows of jobs, attempts and job_events to and from the domain's records. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  AttemptRecord,
  AttemptState,
  JobEvent,
  JobEventDraft,
  JobRecord,
  JobSpec,
  JobState,
  AttemptStopReason,
} from '@gantry/domain';
import type { AttemptsTable, JobEventsTable, JobsTable } from '../schema';
import { toDate, toDateOrNull, toMs, toMsOrNull } from './time';

/** A job with the number of its last history entry (the next one is `lastEventSeq + 1`). */
export type StoredJob = JobRecord & { readonly lastEventSeq: number };

export function jobFromRow(row: Selectable<JobsTable>): StoredJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    spec: specFromRow(row.spec, row.priority_class),
    specHash: row.spec_hash,
    idempotencyKey: row.idempotency_key,
    state: row.state as JobState,
    reason: row.reason,
    message: row.message,
    attempt: row.attempt,
    progress: row.progress,
    exitCode: row.exit_code,
    submittedAt: toMs(row.submitted_at),
    startedAt: toMsOrNull(row.started_at),
    endedAt: toMsOrNull(row.ended_at),
    arrayId: row.array_id,
    arrayIndex: row.array_index,
    lastCheckpointAt: toMsOrNull(row.last_checkpoint_at),
    preemptions: row.preemptions,
    nominatedNodeIds: row.nominated_node_ids,
    protectedUntil: toMsOrNull(row.protected_until) ?? 0,
    lastEventSeq: row.last_event_seq,
  };
}

/**
 * A stored spec; one written before priority classes, dependencies and multi-node jobs gets
 * their defaults.
 */
export function specFromRow(spec: unknown, priorityClass: string): JobSpec {
  const stored = spec as Partial<JobSpec> &
    Omit<JobSpec, 'priorityClass' | 'dependencies' | 'resources'> & {
      resources: Omit<JobSpec['resources'], 'nodes'> & { nodes?: number };
    };
  return {
    ...stored,
    priorityClass: stored.priorityClass ?? priorityClass,
    dependencies: stored.dependencies ?? [],
    resources: { ...stored.resources, nodes: stored.resources.nodes ?? 1 },
  };
}

export function jobToRow(job: StoredJob): Insertable<JobsTable> {
  return {
    id: job.id,
    tenant_id: job.tenantId,
    name: job.spec.name,
    queue: job.spec.queue,
    priority: job.spec.priority,
    gpus: job.spec.resources.gpus,
    gpu_model: job.spec.resources.gpuModel,
    nodes: job.spec.resources.nodes,
    spec: JSON.stringify(job.spec),
    spec_hash: job.specHash,
    idempotency_key: job.idempotencyKey,
    state: job.state,
    reason: job.reason,
    message: job.message,
    attempt: job.attempt,
    progress: job.progress,
    exit_code: job.exitCode,
    submitted_at: toDate(job.submittedAt),
    started_at: toDateOrNull(job.startedAt),
    ended_at: toDateOrNull(job.endedAt),
    last_event_seq: job.lastEventSeq,
    priority_class: job.spec.priorityClass,
    array_id: job.arrayId,
    array_index: job.arrayIndex,
    last_checkpoint_at: toDateOrNull(job.lastCheckpointAt),
    preemptions: job.preemptions,
    nominated_node_ids: [...job.nominatedNodeIds],
    protected_until: protectedUntilToRow(job.protectedUntil),
    kind: job.spec.workload.kind,
    parent_job_id: job.spec.workload.kind === 'shard' ? job.spec.workload.parentJobId : null,
    lease_id: job.spec.leaseId ?? null,
  };
}

/** 0 (not protected) is stored as null. */
function protectedUntilToRow(ms: number): Date | null {
  return ms > 0 ? toDate(ms) : null;
}

/** The columns a lifecycle change may touch (identity and spec never change). */
export function jobPatchToRow(patch: Partial<JobRecord>): Updateable<JobsTable> {
  const row: Updateable<JobsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.reason !== undefined) row.reason = patch.reason;
  if (patch.message !== undefined) row.message = patch.message;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  if (patch.progress !== undefined) row.progress = patch.progress;
  if (patch.exitCode !== undefined) row.exit_code = patch.exitCode;
  if (patch.startedAt !== undefined) row.started_at = toDateOrNull(patch.startedAt);
  if (patch.endedAt !== undefined) row.ended_at = toDateOrNull(patch.endedAt);
  if (patch.lastCheckpointAt !== undefined)
    row.last_checkpoint_at = toDateOrNull(patch.lastCheckpointAt);
  if (patch.preemptions !== undefined) row.preemptions = patch.preemptions;
  if (patch.nominatedNodeIds !== undefined) row.nominated_node_ids = [...patch.nominatedNodeIds];
  if (patch.protectedUntil !== undefined)
    row.protected_until = protectedUntilToRow(patch.protectedUntil);
  return row;
}

export function attemptFromRow(row: Selectable<AttemptsTable>): AttemptRecord {
  return {
    jobId: row.job_id,
    number: row.number,
    rank: row.rank,
    nodeId: row.node_id,
    gpuIndices: row.gpu_indices,
    state: row.state as AttemptState,
    createdAt: toMs(row.created_at),
    startedAt: toMsOrNull(row.started_at),
    endedAt: toMsOrNull(row.ended_at),
    exitCode: row.exit_code,
    message: row.message,
    lastAgentSequence: row.last_agent_seq,
    stopReason: stopReasonFromRow(row.stop_reason),
    endReason: row.end_reason,
  };
}

function stopReasonFromRow(value: string): AttemptStopReason {
  return value === 'Preempted' || value === 'GangStopped' ? value : '';
}

export function attemptToRow(attempt: AttemptRecord): Insertable<AttemptsTable> {
  return {
    job_id: attempt.jobId,
    number: attempt.number,
    rank: attempt.rank,
    node_id: attempt.nodeId,
    gpu_indices: [...attempt.gpuIndices],
    state: attempt.state,
    created_at: toDate(attempt.createdAt),
    started_at: toDateOrNull(attempt.startedAt),
    ended_at: toDateOrNull(attempt.endedAt),
    exit_code: attempt.exitCode,
    message: attempt.message,
    last_agent_seq: attempt.lastAgentSequence,
    stop_reason: attempt.stopReason,
    end_reason: attempt.endReason,
  };
}

export function attemptPatchToRow(patch: Partial<AttemptRecord>): Updateable<AttemptsTable> {
  const row: Updateable<AttemptsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.startedAt !== undefined) row.started_at = toDateOrNull(patch.startedAt);
  if (patch.endedAt !== undefined) row.ended_at = toDateOrNull(patch.endedAt);
  if (patch.exitCode !== undefined) row.exit_code = patch.exitCode;
  if (patch.message !== undefined) row.message = patch.message;
  if (patch.lastAgentSequence !== undefined) row.last_agent_seq = patch.lastAgentSequence;
  if (patch.stopReason !== undefined) row.stop_reason = patch.stopReason;
  if (patch.endReason !== undefined) row.end_reason = patch.endReason;
  return row;
}

/** A history entry as a row: `type` and `attempt` get columns, the rest goes in `payload`. */
export function eventToRow(
  jobId: string,
  seq: number,
  time: number,
  draft: JobEventDraft,
): Insertable<JobEventsTable> {
  const { type, attempt, ...payload } = draft;
  return {
    job_id: jobId,
    seq,
    time: toDate(time),
    attempt,
    type,
    payload: JSON.stringify(payload),
  };
}

export function eventFromRow(row: Selectable<JobEventsTable>): JobEvent {
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  return {
    ...payload,
    type: row.type,
    attempt: row.attempt,
    sequence: row.seq,
    time: toMs(row.time),
  } as JobEvent;
}

/** The record without the store's bookkeeping. */
export function toRecord(job: StoredJob): JobRecord {
  const { lastEventSeq: _seq, ...record } = job;
  return record;
}
