/**
 * The job lifecycle as pure functions: given the records and what happened, each returns the
 * changes to write and the history entries to append. The store applies them in one
 * transaction; nothing here does I/O.
 */
import { StaleAttemptError, FailedPreconditionError } from './errors';
import { canTransition, isAttemptActive, isTerminal, type JobState } from './job-state';
import { Reason } from './reasons';
import type { AttemptRecord, JobEventDraft, JobRecord, LogStream } from './records';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface Change {
  readonly job: Partial<Mutable<JobRecord>>;
  /** Changes to the attempt the change is about (the new attempt for `place`). */
  readonly attempt?: Partial<Mutable<AttemptRecord>>;
  readonly newAttempt?: AttemptRecord;
  readonly events: readonly JobEventDraft[];
}

const NO_CHANGE: Change = { job: {}, events: [] };

function move(
  job: JobRecord,
  to: JobState,
  attempt: number,
  reason: string,
  message: string,
  extra: Partial<Mutable<JobRecord>> = {},
  exitCode?: number | null,
): { job: Partial<Mutable<JobRecord>>; events: JobEventDraft[] } {
  if (!canTransition(job.state, to)) {
    throw new FailedPreconditionError(`job ${job.id} cannot go from ${job.state} to ${to}`);
  }
  return {
    job: { state: to, reason, message, ...extra },
    events: [{ type: 'state_change', attempt, from: job.state, to, reason, message, exitCode }],
  };
}

/** The scheduler placed a pending job: a new attempt starts dispatching. */
export function place(
  job: JobRecord,
  placement: { nodeId: string; nodeName: string; gpuIndices: readonly number[] },
  now: number,
  /** Its class's minimum runtime: a job restarted after a preemption is protected that long. */
  protectedForSeconds = 0,
): Change {
  if (job.state !== 'pending') {
    throw new FailedPreconditionError(`job ${job.id} is ${job.state}, not pending`);
  }
  const number = job.attempt + 1;
  const gpus = placement.gpuIndices.length > 0 ? ` GPUs ${placement.gpuIndices.join(',')}` : '';
  const moved = move(job, 'scheduled', number, '', `placed on ${placement.nodeName}${gpus}`, {
    attempt: number,
    nominatedNodeIds: [],
    protectedUntil: job.preemptions > 0 ? now + protectedForSeconds * 1000 : 0,
  });
  return {
    ...moved,
    newAttempt: {
      jobId: job.id,
      number,
      nodeId: placement.nodeId,
      gpuIndices: [...placement.gpuIndices],
      state: 'dispatching',
      createdAt: now,
      startedAt: null,
      endedAt: null,
      exitCode: null,
      message: '',
      lastAgentSequence: 0,
      stopReason: '',
    },
  };
}

/** The owner asked to stop the job. A job that already ended is left as it is. */
export function cancel(job: JobRecord, reason: string, now: number): Change {
  const message = reason ? `cancelled: ${reason}` : 'cancelled by its owner';
  switch (job.state) {
    case 'pending':
      return move(job, 'cancelled', job.attempt, Reason.Cancelled, message, { endedAt: now });
    case 'scheduled':
    case 'running':
      return move(
        job,
        'cancelling',
        job.attempt,
        Reason.Cancelled,
        `${message}; stopping the task`,
      );
    default:
      return NO_CHANGE;
  }
}

/** What an agent reported about a task attempt. */
export type TaskReport =
  | { readonly type: 'started'; readonly backend: string }
  | { readonly type: 'progress'; readonly fraction: number; readonly message: string }
  | { readonly type: 'log'; readonly stream: LogStream; readonly lines: readonly string[] }
  | { readonly type: 'checkpoint'; readonly message: string }
  | {
      readonly type: 'exited';
      readonly exitCode: number;
      readonly signal: string;
      readonly reason: string;
      readonly message: string;
    };

/**
 * Applies one agent report. Throws StaleAttemptError when the report is about an attempt that is
 * not the job's current one, ran elsewhere, or already ended: it must have no effect.
 * A report the attempt has already seen (`sequence` not above the last) changes nothing.
 */
export function applyTaskReport(
  job: JobRecord,
  attempt: AttemptRecord | undefined,
  nodeId: string,
  sequence: number,
  report: TaskReport,
  now: number,
): Change {
  if (!attempt || attempt.number !== job.attempt) {
    throw new StaleAttemptError(
      `attempt ${attempt?.number ?? '?'} of job ${job.id} is stale: the current attempt is ${job.attempt}`,
    );
  }
  if (attempt.nodeId !== nodeId) {
    throw new StaleAttemptError(`attempt ${attempt.number} of job ${job.id} runs on another node`);
  }
  if (sequence <= attempt.lastAgentSequence) return NO_CHANGE;
  if (!isAttemptActive(attempt.state)) {
    throw new StaleAttemptError(
      `attempt ${attempt.number} of job ${job.id} already ended (${attempt.state})`,
    );
  }
  const seen = { lastAgentSequence: sequence };
  switch (report.type) {
    case 'started': {
      const attemptPatch = { ...seen, state: 'running' as const, startedAt: now };
      if (job.state !== 'scheduled') return { job: {}, attempt: attemptPatch, events: [] };
      return {
        ...move(job, 'running', attempt.number, '', `running on ${report.backend} backend`, {
          startedAt: job.startedAt ?? now,
        }),
        attempt: attemptPatch,
      };
    }
    case 'progress':
      return {
        job: { progress: report.fraction },
        attempt: seen,
        events: [
          {
            type: 'progress',
            attempt: attempt.number,
            fraction: report.fraction,
            message: report.message,
          },
        ],
      };
    case 'log':
      return {
        job: {},
        attempt: seen,
        events: [
          { type: 'log', attempt: attempt.number, stream: report.stream, lines: report.lines },
        ],
      };
    case 'checkpoint':
      return {
        job: { lastCheckpointAt: now },
        attempt: seen,
        events: [{ type: 'checkpoint', attempt: attempt.number, message: report.message }],
      };
    case 'exited':
      return exited(job, attempt, report, seen, now);
  }
}

function exited(
  job: JobRecord,
  attempt: AttemptRecord,
  report: Extract<TaskReport, { type: 'exited' }>,
  seen: { lastAgentSequence: number },
  now: number,
): Change {
  if (
    (attempt.stopReason === 'Preempted' || report.reason === Reason.Preempted) &&
    job.state !== 'cancelling'
  ) {
    const detail = job.message || 'preempted';
    return {
      ...move(job, 'pending', attempt.number, Reason.Preempted, `${detail}; waiting to run again`, {
        preemptions: job.preemptions + 1,
      }),
      attempt: {
        ...seen,
        state: 'preempted',
        endedAt: now,
        exitCode: report.exitCode,
        message: detail,
      },
    };
  }
  if (report.reason === Reason.AgentShutdown && job.state !== 'cancelling') {
    // Not the job's fault: it goes back to pending to run again elsewhere.
    const detail = report.message || 'its agent shut down';
    return {
      ...move(
        job,
        'pending',
        attempt.number,
        Reason.Requeued,
        `${detail}; waiting for attempt ${attempt.number + 1}`,
        { progress: 0 },
      ),
      attempt: { ...seen, state: 'lost', endedAt: now, exitCode: report.exitCode, message: detail },
    };
  }
  const cancelled = job.state === 'cancelling' || report.reason === Reason.Cancelled;
  const [to, reason, message]: [JobState, string, string] = cancelled
    ? ['cancelled', Reason.Cancelled, report.message || 'stopped on request']
    : report.exitCode === 0 && !report.signal
      ? ['succeeded', Reason.Completed, 'exited with code 0']
      : [
          'failed',
          report.reason || (report.signal ? Reason.Signaled : Reason.NonZeroExit),
          report.message ||
            (report.signal ? `killed by ${report.signal}` : `exited with code ${report.exitCode}`),
        ];
  const attemptState =
    to === 'succeeded' ? 'succeeded' : to === 'cancelled' ? 'cancelled' : 'failed';
  return {
    ...move(
      job,
      to,
      attempt.number,
      reason,
      message,
      { endedAt: now, exitCode: report.exitCode },
      report.exitCode,
    ),
    attempt: { ...seen, state: attemptState, endedAt: now, exitCode: report.exitCode, message },
  };
}

/**
 * The attempt can no longer finish (its node was lost, or its dispatch failed for good). The job
 * goes back to pending for another attempt, or fails after `maxAttempts`; a job being cancelled
 * ends cancelled.
 */
export function abandonAttempt(
  job: JobRecord,
  attempt: AttemptRecord,
  cause: typeof Reason.NodeLost | typeof Reason.DispatchFailed,
  detail: string,
  maxAttempts: number,
  now: number,
): Change {
  if (attempt.number !== job.attempt || !isAttemptActive(attempt.state) || isTerminal(job.state)) {
    return NO_CHANGE;
  }
  const attemptPatch = {
    state: cause === Reason.NodeLost ? ('lost' as const) : ('failed' as const),
    endedAt: now,
    message: detail,
  };
  if (job.state === 'cancelling') {
    return {
      ...move(job, 'cancelled', attempt.number, Reason.Cancelled, `cancelled; ${detail}`, {
        endedAt: now,
      }),
      attempt: attemptPatch,
    };
  }
  if (attempt.number >= maxAttempts) {
    return {
      ...move(
        job,
        'failed',
        attempt.number,
        Reason.TooManyAttempts,
        `${detail}; gave up after ${attempt.number} attempts`,
        { endedAt: now },
      ),
      attempt: attemptPatch,
    };
  }
  return {
    ...move(
      job,
      'pending',
      attempt.number,
      Reason.Requeued,
      `${detail}; waiting for attempt ${attempt.number + 1}`,
      { progress: 0 },
    ),
    attempt: attemptPatch,
  };
}

/**
 * The scheduler preempts the job's current attempt for another job: its watchers get a notice,
 * its agent will send SIGTERM (then SIGKILL after the grace period), and its exit sends it back
 * to pending with its progress kept. A job already being cancelled or stopped is left alone.
 */
export function requestPreemption(job: JobRecord, attempt: AttemptRecord, message: string): Change {
  if (
    attempt.number !== job.attempt ||
    !isAttemptActive(attempt.state) ||
    attempt.stopReason !== ''
  )
    return NO_CHANGE;
  if (job.state !== 'running' && job.state !== 'scheduled') return NO_CHANGE;
  return {
    job: { reason: Reason.Preempted, message },
    attempt: { stopReason: 'Preempted' },
    events: [{ type: 'notice', attempt: attempt.number, reason: Reason.Preempted, message }],
  };
}

/** A checkpoint reported through the API (agents report theirs as task events). */
export function recordCheckpoint(job: JobRecord, message: string, now: number): Change {
  if (job.state !== 'running') {
    throw new FailedPreconditionError(
      `job ${job.id} is ${job.state}; only a running job can record a checkpoint`,
    );
  }
  return {
    job: { lastCheckpointAt: now },
    events: [{ type: 'checkpoint', attempt: job.attempt, message }],
  };
}

/**
 * A job it depends on ended the wrong way (domain `dependencyVerdict` said never): the pending
 * job ends cancelled with reason DependencyNeverSatisfied. A job no longer pending is left alone
 * (the scheduler's verdict may be older than the job's last change).
 */
export function failDependency(job: JobRecord, message: string, now: number): Change {
  if (job.state !== 'pending') return NO_CHANGE;
  return move(job, 'cancelled', job.attempt, Reason.DependencyNeverSatisfied, message, {
    endedAt: now,
    nominatedNodeIds: [],
  });
}
