/**
 * The tables as Kysely sees them (see migrations/ for the DDL). Times are timestamptz: written
 * as Date, read as Date (mappers/time.ts turns them into epoch milliseconds). jsonb is written
 * as JSON text and read back parsed.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null, Date | null>;
/** Read parsed; written as JSON text. */
type Json = ColumnType<unknown, string, string>;

export interface TenantsTable {
  id: string;
  name: string;
  admin: boolean;
  /** 'internal' or 'renter' (ADR 10). */
  kind: ColumnType<'internal' | 'renter', 'internal' | 'renter' | undefined, never>;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  lookup_id: string;
  tenant_id: string;
  secret_hash: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface JobsTable {
  id: string;
  tenant_id: string;
  name: string;
  queue: string;
  priority: number;
  /** GPUs on each node. */
  gpus: number;
  gpu_model: string | null;
  nodes: ColumnType<number, number | undefined, number>;
  spec: Json;
  spec_hash: string;
  idempotency_key: string | null;
  state: string;
  reason: string;
  message: string;
  attempt: number;
  progress: number;
  exit_code: number | null;
  submitted_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  last_event_seq: number;
  priority_class: string;
  array_id: string | null;
  array_index: number | null;
  last_checkpoint_at: NullableTimestamp;
  preemptions: number;
  nominated_node_ids: ColumnType<string[], string[], string[]>;
  /** null: not protected. */
  protected_until: NullableTimestamp;
  /** The workload's kind (command, simulated, inference_batch, ..., shard). */
  kind: ColumnType<string, string | undefined, string>;
  /** For a shard: its batch or RL job. */
  parent_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The job's JobResult (JSON), for the inference kinds. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
  /** A renter's job: the lease it runs in (placed by the lease placer, not the policy). */
  lease_id: ColumnType<string | null, string | null | undefined, string | null>;
}

type BigIntColumn = ColumnType<string | number, number, number>;

export interface LeasesTable {
  id: string;
  tenant_id: string;
  product: string;
  gpu_model: string;
  gpus: number;
  nodes: number;
  fabric_domain: string | null;
  price_micros: BigIntColumn;
  state: string;
  end_reason: string | null;
  message: string;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
  duration_seconds: number;
  notice_seconds: number;
  notice_ends_at: NullableTimestamp;
  window_starts_at: NullableTimestamp;
  job_id: string | null;
  metered_until: NullableTimestamp;
  gpu_seconds: ColumnType<string | number, number | undefined, number>;
  charged_micros: ColumnType<string | number, number | undefined, number>;
  credited_micros: ColumnType<string | number, number | undefined, number>;
  idempotency_key: string | null;
  request_hash: string;
  last_event_seq: number;
}

export interface LeaseEventsTable {
  lease_id: string;
  seq: number;
  time: Timestamp;
  type: string;
  message: string;
  notice_ends_at: NullableTimestamp;
  amount_micros: BigIntColumn;
}

export interface MarketSamplesTable {
  time: Timestamp;
  gpus_total: number;
  gpus_internal: number;
  gpus_rented: number;
  gpus_idle: number;
  revenue_micros: BigIntColumn;
  queue_pressure: number;
  prices: Json;
}

/** Files in the FileStore: uploaded inputs and the outputs jobs produce. */
export interface FilesTable {
  id: string;
  tenant_id: string;
  filename: string;
  purpose: 'input' | 'output';
  /** bigint: read as a string (node-postgres) or a number (PGlite); see mappers/files.ts. */
  bytes: ColumnType<string | number, number, number>;
  sha256: string;
  lines: ColumnType<string | number, number, number>;
  storage_key: string;
  job_id: string | null;
  created_at: Timestamp;
}

/** One row per rank (node) of an attempt; a single-node job's attempt is rank 0 alone. */
export interface AttemptsTable {
  job_id: string;
  number: number;
  rank: ColumnType<number, number | undefined, number>;
  node_id: string;
  gpu_indices: ColumnType<number[], number[], number[]>;
  state: string;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  exit_code: number | null;
  message: string;
  last_agent_seq: number;
  /** '', 'Preempted' or 'GangStopped'. */
  stop_reason: string;
  /** How the rank ended (a Reason), '' while active. */
  end_reason: ColumnType<string, string | undefined, string>;
}

export interface JobEventsTable {
  job_id: string;
  seq: number;
  time: Timestamp;
  attempt: number;
  type: string;
  payload: Json;
}

export interface NodesTable {
  id: string;
  name: string;
  address: string;
  state: string;
  inventory: Json;
  labels: Json;
  agent_version: string;
  instance_id: string;
  token_lookup_id: string;
  token_hash: string;
  registered_at: Timestamp;
  lost_at: NullableTimestamp;
}

export interface QueuesTable {
  name: string;
  parent: string | null;
  guaranteed: Json;
  max: Json;
  weight: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PriorityClassesTable {
  name: string;
  priority: number;
  preemptible: boolean;
  min_runtime_seconds: number;
  grace_period_seconds: number;
}

export interface QueueUsageTable {
  queue: string;
  model: string;
  gpu_seconds: number;
  as_of: Timestamp;
}

export interface JobDependenciesTable {
  job_id: string;
  depends_on: string;
  condition: string;
}

export interface SchedulerFenceTable {
  id: Generated<number>;
  token: ColumnType<number, number, number>;
}

/**
 * bigint columns: node-postgres reads them as strings, PGlite as numbers (or bigint); the
 * ledger's mappers turn them into safe integers (ledger/rows.ts).
 */
type BigintColumn = ColumnType<string | number | bigint, number, number>;

/** A renter: a tenant of kind renter and how far below zero its balance may go. */
export interface RentersTable {
  tenant_id: string;
  spend_limit_micros: BigintColumn;
  created_at: Timestamp;
}

/** A ledger account, created at its first posting; balance_micros sums its entries. */
export interface LedgerAccountsTable {
  name: string;
  balance_micros: ColumnType<string | number | bigint, number | undefined, number>;
  last_seq: ColumnType<string | number | bigint, number | undefined, number>;
  last_booked_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface LedgerPostingsTable {
  id: string;
  idempotency_key: string;
  /** sha256 of the posting's canonical body (kind, description, lease, entries). */
  body_hash: string;
  kind: string;
  description: string;
  lease_id: string | null;
  created_at: Timestamp;
}

/** One posting's amount on one account, numbered per account (seq) with the balance after. */
export interface LedgerEntriesTable {
  account: string;
  seq: BigintColumn;
  posting_id: string;
  amount_micros: BigintColumn;
  balance_after_micros: BigintColumn;
  booked_at: Timestamp;
}

/** bigint micro-dollars: read as a string (node-postgres) or a number (PGlite). */
type PriceColumn = ColumnType<string | number, number, number>;

/** The GPU market's price bounds per GPU model and lease product (per GPU-hour). */
export interface PriceBoundsTable {
  gpu_model: string;
  product: string;
  base_micros: PriceColumn;
  min_micros: PriceColumn;
  max_micros: PriceColumn;
  updated_at: Timestamp;
}

export interface Schema {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  jobs: JobsTable;
  attempts: AttemptsTable;
  job_events: JobEventsTable;
  nodes: NodesTable;
  scheduler_fence: SchedulerFenceTable;
  queues: QueuesTable;
  priority_classes: PriorityClassesTable;
  queue_usage: QueueUsageTable;
  job_dependencies: JobDependenciesTable;
  files: FilesTable;
  leases: LeasesTable;
  lease_events: LeaseEventsTable;
  market_samples: MarketSamplesTable;
  renters: RentersTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_postings: LedgerPostingsTable;
  ledger_entries: LedgerEntriesTable;
  price_bounds: PriceBoundsTable;
}
