import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError, type JobEvent } from '@gantry/domain';
import type { JobView, ListJobsQuery, Scope } from '../api';
import { eventFromRow, jobFromRow } from '../mappers/jobs';
import { decodePageToken, encodePageToken } from '../page-token';
import type { Schema } from '../schema';
import { attemptsOf, canSee, selectJobs, toView } from './views';

export const MAX_PAGE_SIZE = 1000;

/** Reads one job with its attempts; NotFoundError when missing or not the scope's to see. */
export async function getJob(db: Kysely<Schema>, scope: Scope, jobId: string): Promise<JobView> {
  const row = await selectJobs(db).where('jobs.id', '=', jobId).executeTakeFirst();
  if (!row || !canSee(scope, row.tenant_id)) throw new NotFoundError('job', jobId);
  const attempts = await attemptsOf(db, [jobId]);
  return toView(jobFromRow(row), row, attempts.get(jobId) ?? []);
}

/** Newest first, keyset-paginated on the job id (ids sort by submit time). */
export async function listJobs(
  db: Kysely<Schema>,
  scope: Scope,
  query: ListJobsQuery,
): Promise<{ jobs: JobView[]; nextPageToken: string }> {
  if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) {
    throw ValidationError.field('page_size', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const after = decodePageToken(query.pageToken);
  let select = selectJobs(db);
  if (!scope.admin) select = select.where('jobs.tenant_id', '=', scope.tenantId);
  if (query.states.length > 0) select = select.where('jobs.state', 'in', [...query.states]);
  if (query.queue !== '') select = select.where('jobs.queue', '=', query.queue);
  if (after !== undefined) select = select.where('jobs.id', '<', after);
  const rows = await select
    .orderBy('jobs.id', 'desc')
    .limit(query.pageSize + 1)
    .execute();
  const page = rows.slice(0, query.pageSize);
  const attempts = await attemptsOf(
    db,
    page.map((row) => row.id),
  );
  const jobs = page.map((row) => toView(jobFromRow(row), row, attempts.get(row.id) ?? []));
  const last = page.at(-1);
  return {
    jobs,
    nextPageToken: rows.length > query.pageSize && last ? encodePageToken(last.id) : '',
  };
}

/** History entries from `fromSequence` on, oldest first. */
export async function jobEvents(
  db: Kysely<Schema>,
  scope: Scope,
  jobId: string,
  fromSequence: number,
  limit: number,
): Promise<JobEvent[]> {
  const job = await db
    .selectFrom('jobs')
    .select('tenant_id')
    .where('id', '=', jobId)
    .executeTakeFirst();
  if (!job || !canSee(scope, job.tenant_id)) throw new NotFoundError('job', jobId);
  if (limit <= 0) return [];
  const rows = await db
    .selectFrom('job_events')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('seq', '>=', fromSequence)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(eventFromRow);
}
