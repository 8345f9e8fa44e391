/**
 * The real scheduling policy: the queue tree with quotas, priority classes, decayed GPU usage
 * per queue (fair share), job dependencies, job arrays, checkpoints and preemption. Existing
 * jobs get the default class `batch`, no array, no checkpoint, no preemptions. One statement
 * per entry (PGlite runs one at a time).
 */
import { sql, type Kysely } from 'kysely';

// Copied from @gantry/scheduling DEFAULT_PRIORITY_CLASSES (the store may import only the domain).
const DEFAULT_CLASSES = `
  ('serving', 1000, false, 0, 30),
  ('batch', 500, true, 600, 60),
  ('rl-rollout', 300, true, 120, 30),
  ('background', 100, true, 0, 10)`;

const STATEMENTS = [
  `create table queues (
    name text primary key,
    parent text references queues (name),
    guaranteed jsonb not null,
    max jsonb not null,
    weight double precision not null check (weight > 0),
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index queues_parent on queues (parent) where parent is not null`,
  `insert into queues (name, parent, guaranteed, max, weight, created_at, updated_at)
    values ('default', null, '{}', '{}', 1, now(), now())`,
  `create table priority_classes (
    name text primary key,
    priority integer not null check (priority between 0 and 1000),
    preemptible boolean not null,
    min_runtime_seconds double precision not null check (min_runtime_seconds >= 0),
    grace_period_seconds double precision not null check (grace_period_seconds >= 0)
  )`,
  `insert into priority_classes
    (name, priority, preemptible, min_runtime_seconds, grace_period_seconds)
    values ${DEFAULT_CLASSES}`,
  // Decayed GPU-seconds per queue and GPU model, as of a time (fair share).
  `create table queue_usage (
    queue text not null,
    model text not null,
    gpu_seconds double precision not null check (gpu_seconds >= 0),
    as_of timestamptz not null,
    primary key (queue, model)
  )`,
  `create table job_dependencies (
    job_id text not null references jobs (id) on delete cascade,
    depends_on text not null,
    condition text not null check (condition in ('after-ok', 'after-any', 'after-failed')),
    primary key (job_id, depends_on)
  )`,
  // The jobs waiting for a job.
  `create index job_dependencies_depends_on on job_dependencies (depends_on)`,
  `alter table jobs
    add column priority_class text not null default 'batch',
    add column array_id text,
    add column array_index integer,
    add column last_checkpoint_at timestamptz,
    add column preemptions integer not null default 0,
    add column nominated_node_ids text[] not null default '{}',
    add column protected_until timestamptz`,
  // The elements of an array, in index order (idempotent array submits read them back).
  `create index jobs_array on jobs (array_id, array_index) where array_id is not null`,
  // Whether a queue has unfinished jobs (DeleteQueue, PutQueue).
  `create index jobs_live_queue on jobs (queue)
    where state in ('pending', 'scheduled', 'running', 'cancelling')`,
  // finishedRuns: jobs that ran to their own end, by end time.
  `create index jobs_finished on jobs (ended_at) where state in ('succeeded', 'failed')`,
  `alter table attempts
    add column stop_reason text not null default '' check (stop_reason in ('', 'Preempted')),
    drop constraint attempts_state_check,
    add constraint attempts_state_check check (state in
      ('dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'lost', 'preempted'))`,
  `alter table job_events
    drop constraint job_events_type_check,
    add constraint job_events_type_check check (type in
      ('state_change', 'progress', 'log', 'checkpoint', 'notice'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
