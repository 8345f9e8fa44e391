/**
 * Job kinds (ADR 9): files (uploaded inputs, produced outputs) kept in the FileStore and
 * described here; each job's workload kind; a job's result (batch status and files, a reasoning answer, an RL dataset's
 * figures); and the parent of a shard, so a batch or RL job finds its shards. One statement per
 * entry (PGlite runs one at a time).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `create table files (
    id text primary key,
    tenant_id text not null references tenants (id),
    filename text not null,
    purpose text not null check (purpose in ('input', 'output')),
    bytes bigint not null check (bytes >= 0),
    sha256 text not null,
    lines bigint not null check (lines >= 0),
    storage_key text not null unique,
    job_id text references jobs (id) on delete set null,
    created_at timestamptz not null
  )`,
  // ListFiles of one tenant, newest first (ids sort by time).
  `create index files_tenant_id on files (tenant_id, id)`,
  `alter table jobs
    add column kind text not null default 'command',
    add column parent_job_id text references jobs (id),
    add column result jsonb`,
  `update jobs set kind = coalesce(spec -> 'workload' ->> 'kind', 'command')`,
  `create index jobs_parent on jobs (parent_job_id, id) where parent_job_id is not null`,
  // The workload controller's live parents (batch and RL jobs).
  `create index jobs_live_parents on jobs (id)
    where kind in ('inference_batch', 'rl_synthetic') and state in ('running', 'cancelling')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
