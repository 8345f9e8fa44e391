/**
 * The records an in-memory job repository holds, and how a domain Change applies to them: the
 * same pure transitions (@gantry/domain lifecycle) the PostgreSQL store applies in a transaction.
 */
import {
  parseJobSpec,
  Reason,
  type AttemptRecord,
  type Change,
  type JobDependency,
  type JobEvent,
  type JobRecord,
  type JobSpec,
} from '@gantry/domain';

export const attemptKey = (jobId: string, attempt: number, rank = 0): string =>
  `${jobId}#${attempt}#${rank}`;

export interface SpecOptions {
  readonly gpus?: number;
  readonly nodes?: number;
  readonly gpuModel?: string;
  readonly priority?: number;
  readonly queue?: string;
  readonly priorityClass?: string;
  readonly timeLimitSeconds?: number;
  /** Taken as they are (test ids need not look like real ones). */
  readonly dependencies?: readonly JobDependency[];
}

/** A simulated-work spec (validated like a submitted one, defaults applied). */
export function aSpec(options: SpecOptions = {}): JobSpec {
  const spec = parseJobSpec({
    priority: options.priority,
    queue: options.queue,
    priority_class: options.priorityClass,
    time_limit_seconds: options.timeLimitSeconds,
    resources: { gpus: options.gpus ?? 1, gpu_model: options.gpuModel, nodes: options.nodes },
    simulated: { gpu_seconds: 10 },
  });
  return options.dependencies ? { ...spec, dependencies: options.dependencies } : spec;
}

/**
 * A `shard` spec (the engine workload the control plane creates, ADR 9) of `gpus` GPUs on an
 * engine of `model` at `revision` ("main" unless given).
 */
export function aShardSpec(gpus: number, model: string, revision?: string): JobSpec {
  const parent = `job_${'0'.repeat(10)}${'b'.repeat(16)}`;
  return parseJobSpec({
    resources: { gpus },
    shard: {
      parent_job_id: parent,
      index: 0,
      count: 1,
      model,
      revision,
      endpoint: '/v1/completions',
      requests_key: `jobs/${parent}/requests.jsonl`,
      first_line: 0,
      line_count: 10,
      output_prefix: `jobs/${parent}/shards/0/`,
    },
  });
}

/** A job as submitted: pending, reason Submitted, never placed. */
export function aPendingJob(
  id: string,
  options: Partial<Omit<JobRecord, 'id'>> & SpecOptions = {},
): JobRecord {
  const {
    gpus,
    nodes,
    gpuModel,
    priority,
    queue,
    priorityClass,
    timeLimitSeconds,
    dependencies,
    ...fields
  } = options;
  return {
    id,
    tenantId: 'ten_a',
    spec: aSpec({
      gpus,
      nodes,
      gpuModel,
      priority,
      queue,
      priorityClass,
      timeLimitSeconds,
      dependencies,
    }),
    specHash: `hash-${id}`,
    idempotencyKey: null,
    state: 'pending',
    reason: Reason.Submitted,
    message: 'waiting for the scheduler',
    attempt: 0,
    progress: 0,
    exitCode: null,
    submittedAt: 1_000,
    startedAt: null,
    endedAt: null,
    arrayId: null,
    arrayIndex: null,
    lastCheckpointAt: null,
    preemptions: 0,
    nominatedNodeIds: [],
    protectedUntil: 0,
    ...fields,
  };
}

/** An attempt of a job on a node; dispatching unless told otherwise. */
export function anAttempt(
  jobId: string,
  number: number,
  nodeId: string,
  options: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    jobId,
    number,
    rank: 0,
    nodeId,
    gpuIndices: [0],
    state: 'dispatching',
    createdAt: 1_000,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
    stopReason: '',
    endReason: '',
    ...options,
  };
}

/** Jobs, attempts and history in maps; `apply` writes a domain Change as the store would. */
export class JobRecords {
  readonly jobs = new Map<string, JobRecord>();
  readonly attempts = new Map<string, AttemptRecord>();
  readonly history = new Map<string, JobEvent[]>();

  /** Every task of a job, by attempt then rank. */
  attemptsOf(jobId: string): AttemptRecord[] {
    return [...this.attempts.values()]
      .filter((a) => a.jobId === jobId)
      .sort((a, b) => a.number - b.number || a.rank - b.rank);
  }

  /** Every rank of one attempt, in rank order. */
  ranksOf(jobId: string, number: number): AttemptRecord[] {
    return this.attemptsOf(jobId).filter((a) => a.number === number);
  }

  /** Rank 0 of the job's current attempt. */
  currentAttempt(job: JobRecord): AttemptRecord | undefined {
    return this.attempts.get(attemptKey(job.id, job.attempt));
  }

  /** Writes the change; the attempt patch goes to rank `rank` of attempt `attemptNumber`. */
  apply(job: JobRecord, attemptNumber: number, change: Change, now: number, rank = 0): JobRecord {
    const updated = { ...job, ...change.job };
    this.jobs.set(job.id, updated);
    for (const attempt of change.newAttempts ?? [])
      this.attempts.set(attemptKey(job.id, attempt.number, attempt.rank), attempt);
    const patches = [
      ...(change.attempt ? [{ rank, patch: change.attempt }] : []),
      ...(change.ranks ?? []),
    ];
    for (const { rank: r, patch } of patches) {
      const key = attemptKey(job.id, attemptNumber, r);
      const attempt = this.attempts.get(key);
      if (attempt) this.attempts.set(key, { ...attempt, ...patch });
    }
    const history = this.history.get(job.id) ?? [];
    for (const draft of change.events)
      history.push({ ...draft, sequence: history.length + 1, time: now });
    this.history.set(job.id, history);
    return updated;
  }
}
