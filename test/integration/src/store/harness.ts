/**
 * The store on a private PostgreSQL schema (or a PGlite directory), migrated, with its
 * repositories and a manual clock; plus small builders for specs, nodes and tenants.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTestConfig } from '@gantry/config';
import { ManualClock, newCredential, parseJobSpec, type JobSpec } from '@gantry/domain';
import {
  createDatabase,
  KyselyFileRepository,
  KyselyJobRepository,
  KyselyLedgerRepository,
  KyselyNodeRepository,
  KyselyPolicyRepository,
  KyselyRenterRepository,
  KyselyTenantRepository,
  migrateToLatest,
  type CycleWrite,
  type Database,
  type NodeInventory,
  type NodeRecord,
  type Scope,
} from '@gantry/store';
import { createTestSchema } from '@gantry/testing';

export const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

export interface StoreHarness {
  readonly database: Database;
  readonly tenants: KyselyTenantRepository;
  readonly jobs: KyselyJobRepository;
  readonly nodes: KyselyNodeRepository;
  readonly policy: KyselyPolicyRepository;
  readonly files: KyselyFileRepository;
  readonly renters: KyselyRenterRepository;
  readonly ledger: KyselyLedgerRepository;
  readonly clock: ManualClock;
  /** Migrations applied when the harness opened. */
  readonly applied: string[];
  close(): Promise<void>;
}

function harness(
  database: Database,
  applied: string[],
  cleanup: () => Promise<void>,
): StoreHarness {
  const clock = new ManualClock(T0);
  return {
    database,
    tenants: new KyselyTenantRepository(database),
    jobs: new KyselyJobRepository(database, clock),
    nodes: new KyselyNodeRepository(database),
    policy: new KyselyPolicyRepository(database),
    files: new KyselyFileRepository(database),
    renters: new KyselyRenterRepository(database),
    ledger: new KyselyLedgerRepository(database),
    clock,
    applied,
    close: async () => {
      await database.close();
      await cleanup();
    },
  };
}

/** A migrated store in a new schema of the test PostgreSQL server; close() drops the schema. */
export async function openPostgresStore(prefix = 'store'): Promise<StoreHarness> {
  const schema = await createTestSchema(loadTestConfig().databaseUrl, prefix);
  try {
    const database = await createDatabase({ url: schema.url, schema: schema.schema, dataDir: '' });
    const applied = await migrateToLatest(database.db);
    return harness(database, applied, () => schema.drop());
  } catch (error) {
    await schema.drop();
    throw error;
  }
}

/** A migrated store on PGlite in a new temporary directory; close() removes it. */
export async function openPgliteStore(): Promise<StoreHarness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-store-'));
  const database = await createDatabase({ schema: 'gantry', dataDir });
  const applied = await migrateToLatest(database.db);
  return harness(database, applied, () => rm(dataDir, { recursive: true, force: true }));
}

export function aSpec(overrides: Record<string, unknown> = {}): JobSpec {
  return parseJobSpec({ simulated: { gpu_seconds: 10 }, resources: { gpus: 1 }, ...overrides });
}

export function inventory(gpus: number, model = 'H100-80GB'): NodeInventory {
  return {
    gpus: Array.from({ length: gpus }, (_, index) => ({
      index,
      uuid: `GPU-${index}`,
      name: `NVIDIA ${model}`,
      model,
      memoryBytes: 80 * 2 ** 30,
    })),
    simulated: true,
    hostname: 'host',
    cpuCount: 16,
    memoryBytes: 2 ** 36,
  };
}

export async function aNode(store: StoreHarness, name: string, gpus = 8): Promise<NodeRecord> {
  const { node } = await store.nodes.register({
    name,
    address: `${name}:7070`,
    inventory: inventory(gpus),
    labels: { zone: 'a' },
    agentVersion: '0.1.0',
    instanceId: `${name}-instance-1`,
    token: newCredential('node-token'),
    now: store.clock.now(),
  });
  return node;
}

/** A new tenant's scope. */
export async function aTenant(store: StoreHarness, name: string): Promise<Scope> {
  const { tenant } = await store.tenants.createTenant(name, store.clock.now());
  return { tenantId: tenant.id, admin: false };
}

export const ADMIN_SCOPE_OF = (tenantId: string): Scope => ({ tenantId, admin: true });

/** Submits a job now (the clock moves 1 s first so ids and times order) and returns its id. */
export async function aJob(
  store: StoreHarness,
  scope: Scope,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { job } = await store.jobs.submit({
    tenantId: scope.tenantId,
    spec: aSpec(overrides),
    idempotencyKey: null,
    now: store.clock.advance(1000),
  });
  return job.id;
}

/** Places a pending job on a node as the leader holding `fence`; returns the attempt number. */
export async function placeJob(
  store: StoreHarness,
  jobId: string,
  node: NodeRecord,
  gpuIndices: readonly number[] = [0],
  fence = 1,
): Promise<number> {
  const { placed } = await store.jobs.commitCycle(
    fence,
    aCycle({
      placements: [{ jobId, allocations: [{ nodeId: node.id, nodeName: node.name, gpuIndices }] }],
    }),
    store.clock.advance(1000),
  );
  if (placed.length !== 1) throw new Error(`job ${jobId} was not placed`);
  return placed[0]!.attempt;
}

/** A cycle's writes: nothing but what is given. */
export function aCycle(write: Partial<CycleWrite> = {}): CycleWrite {
  return {
    placements: [],
    waiting: [],
    preemptions: [],
    nominations: [],
    dependencyFailures: [],
    ...write,
  };
}
