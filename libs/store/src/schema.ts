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
  price_bounds: PriceBoundsTable;
}
