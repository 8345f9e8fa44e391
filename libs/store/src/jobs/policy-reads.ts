/** What the scheduling policy reads besides pending jobs: running work, states, finished runs. */
import { sql, type Kysely } from 'kysely';
import { ACTIVE_ATTEMPT_STATES, ValidationError, type JobState } from '@gantry/domain';
import type { ActiveAttempt, FinishedRun } from '../api';
import { anyOf } from '../database/any-of';
import { attemptFromRow, jobFromRow, toRecord } from '../mappers/jobs';
import { toMs } from '../mappers/time';
import type { Schema } from '../schema';
import { selectJobs } from './views';

/**
 * Active tasks of attempts that are their job's current one (every active rank of a multi-node
 * job), with the job and its tenant's name, in job then rank order. Read in one repeatable-read,
 * read-only transaction, so each job matches its attempt.
 */
export async function activeAttempts(db: Kysely<Schema>): Promise<ActiveAttempt[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const attempts = await trx
        .selectFrom('attempts')
        .innerJoin('jobs', (join) =>
          join
            .onRef('jobs.id', '=', 'attempts.job_id')
            .onRef('jobs.attempt', '=', 'attempts.number'),
        )
        .selectAll('attempts')
        .where('attempts.state', 'in', [...ACTIVE_ATTEMPT_STATES])
        .orderBy('attempts.job_id')
        .orderBy('attempts.rank')
        .execute();
      if (attempts.length === 0) return [];
      const jobs = await selectJobs(trx)
        .where('jobs.id', '=', anyOf(attempts.map((a) => a.job_id)))
        .execute();
      const byId = new Map(jobs.map((row) => [row.id, row]));
      return attempts.flatMap((row) => {
        const job = byId.get(row.job_id);
        if (!job) return [];
        const record = toRecord(jobFromRow(job));
        return [{ job: record, attempt: attemptFromRow(row), tenantName: job.tenant_name }];
      });
    });
}

/** The states of the jobs that exist among `jobIds`. */
export async function jobStates(
  db: Kysely<Schema>,
  jobIds: readonly string[],
): Promise<Map<string, JobState>> {
  if (jobIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'state'])
    .where('id', '=', anyOf([...new Set(jobIds)]))
    .execute();
  return new Map(rows.map((row) => [row.id, row.state as JobState]));
}

/**
 * Jobs that ended on their own (succeeded or failed; cancelled runs say nothing about how long
 * a job needs) after `since`: the newest `limit`, oldest first, with the final attempt's run
 * time (rank 0's, for a multi-node job) and all its GPUs. Served by the partial index
 * jobs_finished.
 */
export async function finishedRuns(
  db: Kysely<Schema>,
  since: number,
  limit: number,
): Promise<FinishedRun[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw ValidationError.field('limit', `must be a whole number >= 1 (got ${limit})`);
  }
  const rows = await db
    .selectFrom('jobs')
    .innerJoin('attempts', (join) =>
      join
        .onRef('attempts.job_id', '=', 'jobs.id')
        .onRef('attempts.number', '=', 'jobs.attempt')
        .on('attempts.rank', '=', 0),
    )
    .select([
      'jobs.tenant_id',
      sql<number>`jobs.gpus * jobs.nodes`.as('gpus'),
      'jobs.ended_at',
      sql<number>`extract(epoch from attempts.ended_at - attempts.started_at)::float8`.as(
        'seconds',
      ),
    ])
    .where('jobs.state', 'in', ['succeeded', 'failed'])
    .where('jobs.ended_at', '>', new Date(since))
    .where('attempts.started_at', 'is not', null)
    .where('attempts.ended_at', 'is not', null)
    .orderBy('jobs.ended_at', 'desc')
    .orderBy('jobs.id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map((row) => ({
    tenantId: row.tenant_id,
    gpus: row.gpus,
    seconds: Math.max(0, Number(row.seconds)),
    endedAt: toMs(row.ended_at ?? 0),
  }));
}
