/**
 * The first schema: tenants and their API keys, jobs with their attempts and numbered history,
 * nodes, and the scheduler's fencing token. One statement per entry (PGlite runs one at a time).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `create table tenants (
    id text primary key,
    name text not null unique,
    admin boolean not null default false,
    created_at timestamptz not null
  )`,
  `create table api_keys (
    lookup_id text primary key,
    tenant_id text not null references tenants (id) on delete cascade,
    secret_hash text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
  )`,
  `create index api_keys_tenant on api_keys (tenant_id)`,
  `create table nodes (
    id text primary key,
    name text not null unique,
    address text not null,
    state text not null check (state in ('ready', 'lost')),
    inventory jsonb not null,
    labels jsonb not null,
    agent_version text not null,
    instance_id text not null,
    token_lookup_id text not null unique,
    token_hash text not null,
    registered_at timestamptz not null,
    lost_at timestamptz
  )`,
  `create table jobs (
    id text primary key,
    tenant_id text not null references tenants (id),
    name text not null,
    queue text not null,
    priority integer not null,
    gpus integer not null,
    gpu_model text,
    spec jsonb not null,
    spec_hash text not null,
    idempotency_key text,
    state text not null check (state in
      ('pending', 'scheduled', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled')),
    reason text not null,
    message text not null,
    attempt integer not null,
    progress double precision not null,
    exit_code integer,
    submitted_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz,
    last_event_seq integer not null
  )`,
  // Idempotent submit: one job per tenant and key.
  `create unique index jobs_idempotency on jobs (tenant_id, idempotency_key)
    where idempotency_key is not null`,
  // ListJobs of one tenant, newest first (ids sort by time).
  `create index jobs_tenant_id on jobs (tenant_id, id)`,
  // Scheduler and reconcilers: pending, cancelling and other live jobs by state.
  `create index jobs_live_state on jobs (state, id)
    where state in ('pending', 'scheduled', 'running', 'cancelling')`,
  `create table attempts (
    job_id text not null references jobs (id) on delete cascade,
    number integer not null,
    node_id text not null references nodes (id),
    gpu_indices integer[] not null,
    state text not null check (state in
      ('dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'lost')),
    created_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz,
    exit_code integer,
    message text not null,
    last_agent_seq integer not null,
    primary key (job_id, number)
  )`,
  // Allocations and a node's active attempts.
  `create index attempts_active on attempts (node_id) where state in ('dispatching', 'running')`,
  `create table job_events (
    job_id text not null references jobs (id) on delete cascade,
    seq integer not null,
    time timestamptz not null,
    attempt integer not null,
    type text not null check (type in ('state_change', 'progress', 'log')),
    payload jsonb not null,
    primary key (job_id, seq)
  )`,
  // One row: the highest leader fencing token that has written.
  `create table scheduler_fence (
    id integer primary key check (id = 1),
    token bigint not null
  )`,
  `insert into scheduler_fence (id, token) values (1, 0)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
