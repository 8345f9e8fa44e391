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

export const attemptKey = (jobId: string, attempt: number): string => `${jobId}#${attempt}`;

export interface SpecOptions {
  readonly gpus?: number;
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
    resources: { gpus: options.gpus ?? 1, gpu_model: options.gpuModel },
    simulated: { gpu_seconds: 10 },
  });
  return options.dependencies ? { ...spec, dependencies: options.dependencies } : spec;
}

/** A job as submitted: pending, reason Submitted, never placed. */
export function aPendingJob(
  id: string,
  options: Partial<Omit<JobRecord, 'id'>> & SpecOptions = {},
): JobRecord {
  const {
    gpus,
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
    spec: aSpec({ gpus, gpuModel, priority, queue, priorityClass, timeLimitSeconds, dependencies }),
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
    ...options,
  };
}

/** Jobs, attempts and history in maps; `apply` writes a domain Change as the store would. */
export class JobRecords {
  readonly jobs = new Map<string, JobRecord>();
  readonly attempts = new Map<string, AttemptRecord>();
  readonly history = new Map<string, JobEvent[]>();

  attemptsOf(jobId: string): AttemptRecord[] {
    return [...this.attempts.values()]
      .filter((a) => a.jobId === jobId)
      .sort((a, b) => a.number - b.number);
  }

  currentAttempt(job: JobRecord): AttemptRecord | undefined {
    return this.attempts.get(attemptKey(job.id, job.attempt));
  }

  /** Writes the change; the attempt patch goes to attempt `attemptNumber`. */
  apply(job: JobRecord, attemptNumber: number, change: Change, now: number): JobRecord {
    const updated = { ...job, ...change.job };
    this.jobs.set(job.id, updated);
    if (change.newAttempt)
      this.attempts.set(attemptKey(job.id, change.newAttempt.number), change.newAttempt);
    const key = attemptKey(job.id, attemptNumber);
    const attempt = this.attempts.get(key);
    if (change.attempt && attempt) this.attempts.set(key, { ...attempt, ...change.attempt });
    const history = this.history.get(job.id) ?? [];
    for (const draft of change.events)
      history.push({ ...draft, sequence: history.length + 1, time: now });
    this.history.set(job.id, history);
    return updated;
  }
}
