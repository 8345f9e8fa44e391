import type { Kysely, Transaction } from 'kysely';
import { abandonAttempt as abandon, type AbandonCause } from '@gantry/domain';
import type { ChangedJob, StopOrder } from '../api';
import type { StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { findRanks, lockJob, splitRanks } from './locks';
import { changedJob, gangStopsOf, writeChange } from './write-change';

export type { AbandonCause };

export interface AbandonInput {
  readonly cause: AbandonCause;
  readonly detail: string;
  readonly maxAttempts: number;
  readonly now: number;
}

/**
 * Transaction "abandon a task". Reads: the job (locked FOR UPDATE) and every rank of the
 * attempt. Writes: the domain `abandonAttempt` change: the task ends (lost or failed); a
 * single-node job goes back to pending, fails with TooManyAttempts, or ends cancelled if it was
 * being cancelled; a multi-node job's other ranks are told to stop and the job moves when the
 * last has ended; the history entries. A stale or ended task writes nothing. Emits: the job
 * when it changed, with stop orders for ranks told to stop.
 */
export async function abandonAttempt(
  db: Kysely<Schema>,
  jobId: string,
  attemptNumber: number,
  input: AbandonInput,
  rank = 0,
): Promise<ChangedJob | undefined> {
  return db.transaction().execute(async (trx) => {
    const job = await lockJob(trx, jobId);
    if (!job) return undefined;
    const abandoned = await abandonLocked(trx, job, attemptNumber, input, rank);
    return abandoned && changedJob(abandoned.job, abandoned.stops);
  });
}

/** The same inside a caller's transaction, for a job it has locked. */
export async function abandonLocked(
  trx: Transaction<Schema>,
  job: StoredJob,
  attemptNumber: number,
  input: AbandonInput,
  rank = 0,
): Promise<{ job: StoredJob; stops: StopOrder[] } | undefined> {
  const ranks = await findRanks(trx, job.id, attemptNumber);
  const { attempt, siblings } = splitRanks(ranks, rank);
  if (!attempt) return undefined;
  const { cause, detail, maxAttempts, now } = input;
  const change = abandon(job, attempt, cause, detail, maxAttempts, now, siblings);
  if (change.events.length === 0) return undefined;
  const updated = await writeChange(trx, job, attempt.number, change, now, rank);
  return { job: updated, stops: gangStopsOf(ranks, change) };
}
