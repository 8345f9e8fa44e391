/**
 * What a lifecycle function returns: the changes to write and the history entries to append.
 * The store applies them in one transaction; nothing here does I/O.
 */
import { FailedPreconditionError } from '../errors';
import { canTransition, type JobState } from '../job-state';
import type { JobResult } from '../job-result';
import type { AttemptRecord, JobEventDraft, JobRecord } from '../records';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type AttemptPatch = Partial<Mutable<AttemptRecord>>;

/** A patch to another rank of the same attempt (a gang stopping together). */
export interface RankPatch {
  readonly rank: number;
  readonly patch: AttemptPatch;
}

export interface Change {
  readonly job: Partial<Mutable<JobRecord>>;
  /** Changes to the attempt (the rank's task) the change is about. */
  readonly attempt?: AttemptPatch;
  /** Changes to the other ranks of that attempt, for a multi-node job. */
  readonly ranks?: readonly RankPatch[];
  /** `place`: the new attempt, one record per rank. */
  readonly newAttempts?: readonly AttemptRecord[];
  /** The job's result, when a task reported one. */
  readonly result?: JobResult;
  readonly events: readonly JobEventDraft[];
}

export const NO_CHANGE: Change = { job: {}, events: [] };

export function move(
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
