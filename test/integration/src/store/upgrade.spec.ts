import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTestConfig } from '@gantry/config';
import { ManualClock } from '@gantry/domain';
import {
  createDatabase,
  KyselyJobRepository,
  KyselyPolicyRepository,
  KyselyRenterRepository,
  migrateToLatest,
  MIGRATIONS,
  type Database,
} from '@gantry/store';
import { createTestSchema } from '@gantry/testing';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { aCycle, aSpec, T0 } from './harness';

type Engine = 'PostgreSQL' | 'PGlite';

/** A database of the engine, migrated to 0001 only; close() removes it. */
async function atFirstVersion(
  engine: Engine,
): Promise<{ database: Database; close(): Promise<void> }> {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (engine === 'PostgreSQL') {
    const schema = await createTestSchema(loadTestConfig().databaseUrl, 'upgrade');
    database = await createDatabase({ url: schema.url, schema: schema.schema, dataDir: '' });
    cleanup = () => schema.drop();
  } else {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-upgrade-'));
    database = await createDatabase({ schema: 'gantry', dataDir });
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  }
  const db = database.db as unknown as Kysely<unknown>;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const first = { '0001_initial': MIGRATIONS['0001_initial']! };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => first },
    migrationTableSchema: rows[0]!.schema,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw new Error('migrating to 0001 failed', { cause: error });
  return { database, close: async () => (await database.close(), await cleanup()) };
}

/** Rows as version 0001 wrote them: a spec without class or dependencies. */
async function oldRows(db: Kysely<unknown>): Promise<void> {
  const { priorityClass: _c, dependencies: _d, ...spec } = aSpec();
  const at = new Date(T0).toISOString();
  for (const statement of [
    `insert into tenants values ('ten_1', 'team-a', false, '${at}')`,
    `insert into nodes values ('node_1', 'n1', 'n1:7070', 'ready', '{"gpus":[]}', '{}', '0.1.0',
      'i1', 'tok', 'hash', '${at}', null)`,
    `insert into jobs (id, tenant_id, name, queue, priority, gpus, gpu_model, spec, spec_hash,
      idempotency_key, state, reason, message, attempt, progress, exit_code, submitted_at,
      started_at, ended_at, last_event_seq) values ('job_1', 'ten_1', 'old', 'default', 100, 1,
      null, '${JSON.stringify(spec)}', 'h', null, 'running', '', 'running', 1, 0.25, null,
      '${at}', '${at}', null, 3)`,
    `insert into attempts values ('job_1', 1, 'node_1', '{0}', 'running', '${at}', '${at}', null,
      null, '', 2)`,
    `insert into job_events values ('job_1', 1, '${at}', 0, 'state_change', '{}'),
      ('job_1', 2, '${at}', 1, 'state_change', '{}'), ('job_1', 3, '${at}', 1, 'state_change', '{}')`,
  ])
    await sql.raw(statement).execute(db);
}

describe.each<Engine>(['PostgreSQL', 'PGlite'])('migrations 0002 to 0007 on %s', (engine) => {
  it('upgrades a database with jobs: defaults for old rows, and the new states work', async () => {
    const { database, close } = await atFirstVersion(engine);
    try {
      await oldRows(database.db as unknown as Kysely<unknown>);
      expect(await migrateToLatest(database.db)).toEqual([
        '0002_policy',
        '0003_gangs',
        '0004_job_kinds',
        '0005_market_ledger',
        '0006_leases',
        '0007_price_bounds',
      ]);
      const jobs = new KyselyJobRepository(database, new ManualClock(T0));
      const admin = { tenantId: 'ten_1', admin: true };
      const job = await jobs.get(admin, 'job_1');
      expect(job).toMatchObject({
        arrayId: null,
        arrayIndex: null,
        lastCheckpointAt: null,
        preemptions: 0,
        nominatedNodeIds: [],
        protectedUntil: 0,
        parentJobId: null,
        result: null,
        attempts: [{ stopReason: '', state: 'running', rank: 0, endReason: '' }],
      });
      expect(job.spec).toMatchObject({
        name: 'simulated',
        priorityClass: 'batch',
        dependencies: [],
        resources: { gpus: 1, nodes: 1 },
      });

      const { preempted } = await jobs.commitCycle(
        1,
        aCycle({ preemptions: [{ jobId: 'job_1', attempt: 1, message: 'preempted for job_2' }] }),
        T0 + 1000,
      );
      expect(preempted).toEqual([{ jobId: 'job_1', attempt: 1, rank: 0, nodeId: 'node_1' }]);
      await jobs.applyTaskEvents(
        'node_1',
        [
          {
            jobId: 'job_1',
            attempt: 1,
            rank: 0,
            sequence: 3,
            report: { type: 'exited', exitCode: -1, signal: 'SIGTERM', reason: '', message: '' },
          },
        ],
        T0 + 2000,
        3,
      );
      expect(await jobs.get(admin, 'job_1')).toMatchObject({
        state: 'pending',
        preemptions: 1,
        attempts: [{ state: 'preempted', endReason: 'Preempted' }],
      });
      const policy = new KyselyPolicyRepository(database);
      expect((await policy.listQueues()).map((q) => q.name)).toEqual(['default']);
      expect((await policy.listClasses()).map((c) => c.name)).toEqual([
        'serving',
        'batch',
        'rl-rollout',
        'background',
      ]);
      // 0005: the tenants from before are internal; renters and the ledger start empty.
      const renters = new KyselyRenterRepository(database);
      expect(await renters.isRenter('ten_1')).toBe(false);
      expect(await renters.listRenters()).toEqual([]);
      const { renter } = await renters.createRenter('acme', 0, T0);
      expect(await renters.isRenter(renter.tenant.id)).toBe(true);
    } finally {
      await close();
    }
  });
});
