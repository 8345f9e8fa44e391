import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlreadyExistsError } from '@gantry/domain';
import { createDatabase, migrateToLatest, MIGRATIONS } from '@gantry/store';
import { isAbortedTransactionError, sql } from 'kysely';
import {
  aJob,
  aNode,
  aSpec,
  aTenant,
  openPgliteStore,
  placeJob,
  type StoreHarness,
} from './harness';

describe('the store on embedded PGlite', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPgliteStore();
  });

  afterEach(async () => {
    await store.close();
  });

  it('migrates from empty, and a second run is a no-op', async () => {
    expect(store.database.kind).toBe('pglite');
    expect(store.applied).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(store.database.db)).toEqual([]);
    const { rows } = await sql<{ token: number }>`select token from scheduler_fence`.execute(
      store.database.db,
    );
    expect(rows).toEqual([{ token: 0 }]);
  });

  it('submits, gets, lists and runs jobs with the same results as PostgreSQL', async () => {
    const scope = await aTenant(store, 'team-a');
    const node = await aNode(store, 'n1');
    const ids = [await aJob(store, scope), await aJob(store, scope), await aJob(store, scope)];
    await placeJob(store, ids[0]!, node, [0, 1]);
    const job = await store.jobs.get(scope, ids[0]!);
    expect(job).toMatchObject({ state: 'scheduled', attempts: [{ gpuIndices: [0, 1] }] });
    const page = await store.jobs.list(scope, {
      states: [],
      queue: '',
      pageSize: 2,
      pageToken: '',
    });
    expect(page.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const next = await store.jobs.list(scope, {
      states: [],
      queue: '',
      pageSize: 2,
      pageToken: page.nextPageToken,
    });
    expect(next).toEqual({ jobs: [job], nextPageToken: '' });
    const result = await store.jobs.applyTaskEvents(
      node.id,
      [
        {
          jobId: ids[0]!,
          attempt: 1,
          rank: 0,
          sequence: 1,
          report: { type: 'started', backend: 'x' },
        },
      ],
      store.clock.advance(1000),
      3,
    );
    expect(result.changed).toEqual([expect.objectContaining({ state: 'running' })]);
    expect((await store.jobs.events(scope, ids[0]!, 1, 10)).map((e) => e.sequence)).toEqual([
      1, 2, 3,
    ]);
  });

  it('serialises concurrent transactions: one job for concurrent same-key submits', async () => {
    const scope = await aTenant(store, 'team-a');
    const spec = aSpec();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.jobs.submit({ tenantId: scope.tenantId, spec, idempotencyKey: 'k', now: 1 }),
      ),
    );
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    await expect(
      store.jobs.submit({
        tenantId: scope.tenantId,
        spec: aSpec({ priority: 1 }),
        idempotencyKey: 'k',
        now: 1,
      }),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('keeps warm engines current, writing only when they change, as PostgreSQL does', async () => {
    const node = await aNode(store, 'n1');
    const engine = {
      model: 'm',
      revision: 'main',
      engine: 'simulated',
      gpuIndices: [0],
      busy: false,
    };
    expect(await store.nodes.setWarmEngines(node.id, [engine])).toBe(true);
    expect(await store.nodes.setWarmEngines(node.id, [engine])).toBe(false);
    expect((await store.nodes.get(node.id))?.inventory.warmEngines).toEqual([engine]);
  });

  it('rolls a failed transaction back and stays usable', async () => {
    const db = store.database.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({ id: 'ten_x', name: 'rolled-back', admin: false, created_at: new Date() })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({ id: 'ten_y', name: 'also-rolled-back', admin: false, created_at: new Date() })
          .execute();
        await sql`select * from no_such_table`.execute(trx);
      }),
    ).rejects.toThrow('no_such_table');
    // An error swallowed inside the transaction still aborts it: COMMIT is refused.
    const swallowed: unknown = await db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({ id: 'ten_z', name: 'swallowed', admin: false, created_at: new Date() })
          .execute();
        await sql`select * from no_such_table`.execute(trx).catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(isAbortedTransactionError(swallowed)).toBe(true);
    expect(await store.tenants.listTenants()).toEqual([]);
    await aTenant(store, 'team-a');
    expect((await store.tenants.listTenants()).map((t) => t.name)).toEqual(['team-a']);
  });
});

describe('PGlite persistence', () => {
  it('keeps committed data in its directory across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-pglite-'));
    try {
      const first = await createDatabase({ schema: 'gantry', dataDir: path.join(dataDir, 'db') });
      await migrateToLatest(first.db);
      await first.db
        .insertInto('tenants')
        .values({ id: 'ten_1', name: 'kept', admin: false, created_at: new Date(5) })
        .execute();
      await first.close();
      await first.close();

      const second = await createDatabase({ schema: 'gantry', dataDir: path.join(dataDir, 'db') });
      try {
        expect(await migrateToLatest(second.db)).toEqual([]);
        const rows = await second.db.selectFrom('tenants').selectAll().execute();
        expect(rows).toEqual([
          { id: 'ten_1', name: 'kept', admin: false, kind: 'internal', created_at: new Date(5) },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
