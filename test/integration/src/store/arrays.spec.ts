import { AlreadyExistsError, ValidationError } from '@gantry/domain';
import type { Scope } from '@gantry/store';
import { aJob, aSpec, aTenant, openPostgresStore, type StoreHarness } from './harness';

describe('submit with classes, dependencies and job arrays (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;

  const submitArray = (first: number, last: number, key: string | null = null, spec = aSpec()) =>
    store.jobs.submit({
      tenantId: scope.tenantId,
      spec,
      idempotencyKey: key,
      array: { first, last },
      now: store.clock.advance(1000),
    });

  beforeEach(async () => {
    store = await openPostgresStore('arrays');
    scope = await aTenant(store, 'team-a');
  });

  afterEach(async () => {
    await store.close();
  });

  it('stores the priority class and one row per dependency', async () => {
    const before = await aJob(store, scope);
    const spec = aSpec({
      priority_class: 'rl-rollout',
      dependencies: [{ job_id: before, condition: 'after-any' }],
    });
    const { job, arrayJobIds } = await store.jobs.submit({
      tenantId: scope.tenantId,
      spec,
      idempotencyKey: null,
      now: store.clock.now(),
    });
    expect(arrayJobIds).toEqual([]);
    expect(job).toMatchObject({ spec, arrayId: null, arrayIndex: null, preemptions: 0 });
    const row = await store.database.db
      .selectFrom('jobs')
      .select('priority_class')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row.priority_class).toBe('rl-rollout');
    expect(await store.database.db.selectFrom('job_dependencies').selectAll().execute()).toEqual([
      { job_id: job.id, depends_on: before, condition: 'after-any' },
    ]);
  });

  it('refuses an unknown class and dependencies that are not the tenant’s jobs, naming fields', async () => {
    const other = await aJob(store, await aTenant(store, 'team-b'));
    const missing = 'job_01jd8zq3m2x7aaaaaaaaaaaaaa';
    const error: unknown = await store.jobs
      .submit({
        tenantId: scope.tenantId,
        spec: aSpec({
          priority_class: 'gold',
          dependencies: [{ job_id: missing }, { job_id: other }],
        }),
        idempotencyKey: null,
        now: store.clock.now(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([
      {
        field: 'spec.priority_class',
        message: 'no priority class named "gold" (one of serving, batch, rl-rollout, background)',
      },
      { field: 'spec.dependencies[0].job_id', message: `no job ${missing}` },
      { field: 'spec.dependencies[1].job_id', message: `no job ${other}` },
    ]);
    expect(await store.database.db.selectFrom('jobs').select('id').execute()).toEqual([
      { id: other },
    ]);
  });

  it('creates one job per index, ids in index order, each told its index', async () => {
    const spec = aSpec({ name: 'sweep', command: { argv: ['train'] }, simulated: undefined });
    const { job, created, arrayJobIds } = await submitArray(3, 6, null, spec);
    expect(created).toBe(true);
    expect(arrayJobIds).toHaveLength(4);
    expect([...arrayJobIds].sort()).toEqual(arrayJobIds);
    expect(job).toMatchObject({ id: arrayJobIds[0], arrayId: arrayJobIds[0], arrayIndex: 3 });
    const last = await store.jobs.get(scope, arrayJobIds[3]!);
    expect(last).toMatchObject({ arrayId: job.id, arrayIndex: 6, state: 'pending' });
    expect(last.spec.name).toBe('sweep[6]');
    expect(last.spec.workload).toMatchObject({
      env: { GANTRY_ARRAY_ID: job.id, GANTRY_ARRAY_INDEX: '6' },
    });
    expect(await store.jobs.events(scope, last.id, 1, 10)).toEqual([
      expect.objectContaining({
        message: `submitted to queue default as element 6 of array ${job.id}`,
      }),
    ]);
  });

  it('returns the same array for the same key, spec and range, and refuses another range', async () => {
    const first = await submitArray(0, 9, 'sweep-1');
    const again = await submitArray(0, 9, 'sweep-1');
    expect(again.created).toBe(false);
    expect(again.arrayJobIds).toEqual(first.arrayJobIds);
    expect(again.job).toEqual(first.job);
    const error: unknown = await submitArray(0, 10, 'sweep-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect((error as Error).message).toBe(
      `idempotency key "sweep-1" was already used for job ${first.job.id} with a different spec`,
    );
    const single = await store.jobs
      .submit({ tenantId: scope.tenantId, spec: aSpec(), idempotencyKey: 'sweep-1', now: 1 })
      .catch((e: unknown) => e);
    expect(single).toBeInstanceOf(AlreadyExistsError);
    expect(await store.database.db.selectFrom('jobs').select('id').execute()).toHaveLength(10);
  });

  it('makes one array from concurrent submits with the same key', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => submitArray(0, 49, 'race')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.arrayJobIds.join()))).toHaveProperty('size', 1);
    expect(await store.database.db.selectFrom('jobs').select('id').execute()).toHaveLength(50);
  });

  it('refuses a malformed range, naming the field, and writes nothing', async () => {
    await expect(submitArray(5, 2)).rejects.toThrow(
      'array: must be first-last with 0 <= first <= last (got 5-2)',
    );
    await expect(submitArray(0, 10_000)).rejects.toBeInstanceOf(ValidationError);
    expect(await store.database.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('creates a 10,000-element array in one submit, dependencies on every element', async () => {
    const before = await aJob(store, scope);
    const spec = aSpec({ dependencies: [{ job_id: before }] });
    const { arrayJobIds } = await submitArray(0, 9_999, null, spec);
    expect(arrayJobIds).toHaveLength(10_000);
    const { count } = await store.database.db
      .selectFrom('job_dependencies')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('depends_on', '=', before)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(10_000);
    expect((await store.jobs.get(scope, arrayJobIds[9_999]!)).arrayIndex).toBe(9_999);
  });
});
