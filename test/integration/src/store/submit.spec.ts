import { AlreadyExistsError, NotFoundError } from '@gantry/domain';
import { aSpec, aTenant, openPostgresStore, T0, type StoreHarness } from './harness';

describe('submit, get and tenant isolation (PostgreSQL)', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPostgresStore('submit');
  });

  afterEach(async () => {
    await store.close();
  });

  it('records a pending job with its first history entry', async () => {
    const scope = await aTenant(store, 'team-a');
    const spec = aSpec({ queue: 'rl', priority: 300, resources: { gpus: 2 } });
    const { job, created } = await store.jobs.submit({
      tenantId: scope.tenantId,
      spec,
      idempotencyKey: null,
      now: T0,
    });
    expect(created).toBe(true);
    expect(job).toMatchObject({
      tenantId: scope.tenantId,
      tenantName: 'team-a',
      spec,
      state: 'pending',
      reason: 'Submitted',
      attempt: 0,
      progress: 0,
      exitCode: null,
      submittedAt: T0,
      startedAt: null,
      endedAt: null,
      attempts: [],
    });
    expect(job.id).toMatch(/^job_/);
    expect(await store.jobs.get(scope, job.id)).toEqual(job);
    expect(await store.jobs.events(scope, job.id, 1, 10)).toEqual([
      {
        sequence: 1,
        time: T0,
        type: 'state_change',
        attempt: 0,
        from: 'pending',
        to: 'pending',
        reason: 'Submitted',
        message: 'submitted to queue rl',
      },
    ]);
  });

  it('returns the same job for the same key and spec, and refuses another spec', async () => {
    const scope = await aTenant(store, 'team-a');
    const submit = (gpus: number) =>
      store.jobs.submit({
        tenantId: scope.tenantId,
        spec: aSpec({ resources: { gpus } }),
        idempotencyKey: 'key-1',
        now: store.clock.advance(10),
      });
    const first = await submit(1);
    const again = await submit(1);
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: first.job, created: false, arrayJobIds: [] });
    const error: unknown = await submit(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect((error as Error).message).toBe(
      `idempotency key "key-1" was already used for job ${first.job.id} with a different spec`,
    );
    const all = await store.database.db.selectFrom('jobs').select('id').execute();
    expect(all).toEqual([{ id: first.job.id }]);
  });

  it('scopes idempotency keys to the tenant', async () => {
    const a = await aTenant(store, 'team-a');
    const b = await aTenant(store, 'team-b');
    const spec = aSpec();
    const ja = await store.jobs.submit({
      tenantId: a.tenantId,
      spec,
      idempotencyKey: 'k',
      now: T0,
    });
    const jb = await store.jobs.submit({
      tenantId: b.tenantId,
      spec,
      idempotencyKey: 'k',
      now: T0,
    });
    expect(jb.created).toBe(true);
    expect(jb.job.id).not.toBe(ja.job.id);
  });

  it('makes one job from concurrent submits with the same key', async () => {
    const scope = await aTenant(store, 'team-a');
    const spec = aSpec();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.jobs.submit({ tenantId: scope.tenantId, spec, idempotencyKey: 'race', now: T0 }),
      ),
    );
    const ids = new Set(results.map((r) => r.job.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await store.database.db.selectFrom('jobs').select('id').execute();
    expect(rows).toHaveLength(1);
    const events = await store.database.db.selectFrom('job_events').select('seq').execute();
    expect(events).toEqual([{ seq: 1 }]);
  });

  it("hides another tenant's job, which an admin sees", async () => {
    const a = await aTenant(store, 'team-a');
    const b = await aTenant(store, 'team-b');
    const { job } = await store.jobs.submit({
      tenantId: a.tenantId,
      spec: aSpec(),
      idempotencyKey: null,
      now: T0,
    });
    const notFound = new NotFoundError('job', job.id);
    await expect(store.jobs.get(b, job.id)).rejects.toThrow(notFound);
    await expect(store.jobs.events(b, job.id, 1, 10)).rejects.toThrow(notFound);
    await expect(store.jobs.cancel(b, job.id, '', T0)).rejects.toThrow(notFound);
    expect((await store.jobs.get(a, job.id)).state).toBe('pending');
    const admin = { tenantId: b.tenantId, admin: true };
    expect((await store.jobs.get(admin, job.id)).tenantName).toBe('team-a');
    await expect(store.jobs.get(a, 'job_missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a job for a tenant that does not exist', async () => {
    await expect(
      store.jobs.submit({ tenantId: 'ten_nobody', spec: aSpec(), idempotencyKey: null, now: T0 }),
    ).rejects.toThrow(new NotFoundError('tenant', 'ten_nobody'));
  });
});
