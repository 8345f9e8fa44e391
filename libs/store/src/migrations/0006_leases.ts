/**
 * Leases (ADR 10): what renters bought, their numbered history, the market's samples for the
 * admin charts, and the lease a renter's job runs in (jobs.lease_id: such a job is placed by the
 * lease placer on its lease's GPUs, never by the policy). Money in micro-dollars (bigint).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `create table leases (
    id text primary key,
    tenant_id text not null references tenants (id),
    product text not null check (product in ('on-demand', 'interruptible', 'reserved')),
    gpu_model text not null,
    gpus integer not null check (gpus >= 1),
    nodes integer not null check (nodes >= 1),
    fabric_domain text,
    price_micros bigint not null check (price_micros > 0),
    state text not null check (state in ('pending', 'active', 'notice', 'ended')),
    end_reason text check (end_reason in ('released', 'expired', 'reclaimed', 'unfunded', 'failed')),
    message text not null,
    created_at timestamptz not null,
    started_at timestamptz,
    expires_at timestamptz not null,
    ended_at timestamptz,
    duration_seconds integer not null check (duration_seconds > 0),
    notice_seconds integer not null check (notice_seconds >= 0),
    notice_ends_at timestamptz,
    window_starts_at timestamptz,
    job_id text references jobs (id),
    metered_until timestamptz,
    gpu_seconds bigint not null default 0,
    charged_micros bigint not null default 0,
    credited_micros bigint not null default 0,
    idempotency_key text,
    request_hash text not null,
    last_event_seq integer not null default 0
  )`,
  `create unique index leases_idempotency on leases (tenant_id, idempotency_key)
    where idempotency_key is not null`,
  `create index leases_tenant_id on leases (tenant_id, id)`,
  `create index leases_live on leases (id) where state <> 'ended'`,
  `create table lease_events (
    lease_id text not null references leases (id) on delete cascade,
    seq integer not null,
    time timestamptz not null,
    type text not null,
    message text not null,
    notice_ends_at timestamptz,
    amount_micros bigint not null default 0,
    primary key (lease_id, seq)
  )`,
  `create table market_samples (
    time timestamptz primary key,
    gpus_total integer not null,
    gpus_internal integer not null,
    gpus_rented integer not null,
    gpus_idle integer not null,
    revenue_micros bigint not null,
    queue_pressure double precision not null,
    prices jsonb not null
  )`,
  `alter table jobs add column lease_id text references leases (id)`,
  `update jobs set lease_id = spec ->> 'leaseId' where spec ? 'leaseId'`,
  `create index jobs_lease on jobs (lease_id, id) where lease_id is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
