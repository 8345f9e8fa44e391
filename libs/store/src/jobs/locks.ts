import type { Transaction } from 'kysely';
import type { AttemptRecord } from '@gantry/domain';
import { attemptFromRow, jobFromRow, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { anyOf } from '../database/any-of';

/**
 * Locks job rows (SELECT ... FOR UPDATE) in id order. Every transaction that locks more than
 * one job goes through here, so two of them never wait on each other in a cycle.
 */
export async function lockJobs(
  trx: Transaction<Schema>,
  jobIds: readonly string[],
): Promise<Map<string, StoredJob>> {
  const ids = [...new Set(jobIds)].sort();
  const jobs = new Map<string, StoredJob>();
  if (ids.length === 0) return jobs;
  const rows = await trx
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', anyOf(ids))
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const row of rows) jobs.set(row.id, jobFromRow(row));
  return jobs;
}

export async function lockJob(
  trx: Transaction<Schema>,
  jobId: string,
): Promise<StoredJob | undefined> {
  return (await lockJobs(trx, [jobId])).get(jobId);
}

/** One task (rank) of an attempt of a job (read under the job's lock, so it cannot change). */
export async function findAttempt(
  trx: Transaction<Schema>,
  jobId: string,
  number: number,
  rank = 0,
): Promise<AttemptRecord | undefined> {
  const row = await trx
    .selectFrom('attempts')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('number', '=', number)
    .where('rank', '=', rank)
    .executeTakeFirst();
  return row ? attemptFromRow(row) : undefined;
}

/** Every rank of an attempt, in rank order (under the job's lock). */
export async function findRanks(
  trx: Transaction<Schema>,
  jobId: string,
  number: number,
): Promise<AttemptRecord[]> {
  const rows = await trx
    .selectFrom('attempts')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('number', '=', number)
    .orderBy('rank')
    .execute();
  return rows.map(attemptFromRow);
}

/** One rank and the others of its attempt. */
export function splitRanks(
  ranks: readonly AttemptRecord[],
  rank: number,
): { attempt: AttemptRecord | undefined; siblings: AttemptRecord[] } {
  return {
    attempt: ranks.find((r) => r.rank === rank),
    siblings: ranks.filter((r) => r.rank !== rank),
  };
}
