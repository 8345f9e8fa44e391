import type { Kysely, Transaction } from 'kysely';
import { abandonAttempt as abandon, type Reason } from '@gantry/domain';
import type { ChangedJob } from '../api';
import type { StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { findAttempt, lockJob } from './locks';
import { changedJob, writeChange } from './write-change';

export type AbandonCause = typeof Reason.NodeLost | typeof Reason.DispatchFailed;

export interface AbandonInput {
  readonly cause: AbandonCause;
  readonly detail: string;
  readonly maxAttempts: number;
  readonly now: number;
}

/**
 * Transaction "abandon an attempt". Reads: the job (locked FOR UPDATE) and the attempt.
 * Writes: the domain `abandonAttempt` change: the attempt ends (lost or failed); the job goes
 * back to pending, fails with TooManyAttempts, or ends cancelled if it was being cancelled;
 * one state_change history entry. A stale or ended attempt writes nothing. Emits: the job when
 * it changed.
 */
export async function abandonAttempt(
  db: Kysely<Schema>,
  jobId: string,
  attemptNumber: number,
  input: AbandonInput,
): Promise<ChangedJob | undefined> {
  return db.transaction().execute(async (trx) => {
    const job = await lockJob(trx, jobId);
    if (!job) return undefined;
    const updated = await abandonLocked(trx, job, attemptNumber, input);
    return updated ? changedJob(updated) : undefined;
  });
}

/** The same inside a caller's transaction, for a job it has locked. */
export async function abandonLocked(
  trx: Transaction<Schema>,
  job: StoredJob,
  attemptNumber: number,
  input: AbandonInput,
): Promise<StoredJob | undefined> {
  const attempt = await findAttempt(trx, job.id, attemptNumber);
  if (!attempt) return undefined;
  const change = abandon(job, attempt, input.cause, input.detail, input.maxAttempts, input.now);
  if (change.events.length === 0) return undefined;
  return writeChange(trx, job, attempt.number, change, input.now);
}
