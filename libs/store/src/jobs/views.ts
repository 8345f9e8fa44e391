import type { Kysely } from 'kysely';
import type { JobResult } from '@gantry/domain';
import type { AttemptView, JobView, Scope } from '../api';
import { attemptFromRow, jobFromRow, toRecord, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { anyOf } from '../database/any-of';

/** Jobs with their tenant's name: the base of every query that returns JobViews. */
export function selectJobs(db: Kysely<Schema>) {
  return db
    .selectFrom('jobs')
    .innerJoin('tenants', 'tenants.id', 'jobs.tenant_id')
    .selectAll('jobs')
    .select('tenants.name as tenant_name');
}

/** Whether a scope may see a tenant's job: its own, or any for an admin. */
export function canSee(scope: Scope, tenantId: string): boolean {
  return scope.admin || scope.tenantId === tenantId;
}

/** Reads the attempts (with node names) of jobs, oldest attempt first. */
export async function attemptsOf(
  db: Kysely<Schema>,
  jobIds: readonly string[],
): Promise<Map<string, AttemptView[]>> {
  const byJob = new Map<string, AttemptView[]>();
  if (jobIds.length === 0) return byJob;
  const rows = await db
    .selectFrom('attempts')
    .innerJoin('nodes', 'nodes.id', 'attempts.node_id')
    .selectAll('attempts')
    .select('nodes.name as node_name')
    .where('attempts.job_id', '=', anyOf(jobIds))
    .orderBy('attempts.job_id')
    .orderBy('attempts.number')
    .execute();
  for (const row of rows) {
    const list = byJob.get(row.job_id) ?? [];
    list.push({ ...attemptFromRow(row), nodeName: row.node_name });
    byJob.set(row.job_id, list);
  }
  return byJob;
}

/** The columns a view adds to the job record. */
export interface ViewColumns {
  readonly tenant_name: string;
  readonly parent_job_id: string | null;
  readonly result: unknown;
}

export function toView(
  job: StoredJob,
  row: ViewColumns,
  attempts: readonly AttemptView[],
): JobView {
  return {
    ...toRecord(job),
    tenantName: row.tenant_name,
    attempts,
    parentJobId: row.parent_job_id,
    result: (row.result ?? null) as JobResult | null,
  };
}

/** The views of the given jobs (any tenant), in the order of `jobIds`; missing ids are skipped. */
export async function loadViews(db: Kysely<Schema>, jobIds: readonly string[]): Promise<JobView[]> {
  if (jobIds.length === 0) return [];
  const rows = await selectJobs(db).where('jobs.id', '=', anyOf(jobIds)).execute();
  const attempts = await attemptsOf(db, jobIds);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return jobIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toView(jobFromRow(row), row, attempts.get(id) ?? [])] : [];
  });
}
