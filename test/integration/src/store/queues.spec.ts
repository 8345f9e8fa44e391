import { FailedPreconditionError, NotFoundError, ValidationError } from '@gantry/domain';
import type { QueueRecord, Scope } from '@gantry/store';
import { aJob, aTenant, openPostgresStore, T0, type StoreHarness } from './harness';

const H = 'H100-80GB';

const aQueue = (name: string, overrides: Partial<QueueRecord> = {}): QueueRecord => ({
  name,
  parent: null,
  guaranteed: {},
  max: {},
  weight: 1,
  ...overrides,
});

describe('the queue tree (PostgreSQL)', () => {
  let store: StoreHarness;
  let scope: Scope;

  beforeEach(async () => {
    store = await openPostgresStore('queues');
    scope = await aTenant(store, 'team-a');
  });

  afterEach(async () => {
    await store.close();
  });

  /** The violations a put is refused with, as "field: message". */
  const refusal = async (queue: QueueRecord): Promise<string[]> => {
    const error: unknown = await store.policy.putQueue(queue, T0).catch((e: unknown) => e);
    if (!(error instanceof ValidationError)) throw new Error(`not refused: ${String(error)}`);
    return error.violations.map((v) => `${v.field}: ${v.message}`);
  };

  it('starts with the default organization, without limits', async () => {
    expect(await store.policy.listQueues()).toEqual([aQueue('default')]);
  });

  it('creates and replaces queues, storing model keys as the catalog spells them', async () => {
    const org = aQueue('org', { guaranteed: { [H]: 16 }, max: { '*': 32 }, weight: 2 });
    expect(await store.policy.putQueue(org, T0)).toEqual(org);
    const team = await store.policy.putQueue(
      aQueue('team', { parent: 'org', guaranteed: { 'h100-80gb': 8 } }),
      T0,
    );
    expect(team.guaranteed).toEqual({ [H]: 8 });
    await store.policy.putQueue({ ...team, weight: 3 }, T0 + 1);
    expect(await store.policy.listQueues()).toEqual(
      [aQueue('default'), org, { ...team, weight: 3 }].sort((a, b) => a.name.localeCompare(b.name)),
    );
    const row = await store.database.db
      .selectFrom('queues')
      .select(['created_at', 'updated_at'])
      .where('name', '=', 'team')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ created_at: new Date(T0), updated_at: new Date(T0 + 1) });
  });

  it('refuses what breaks the rules, naming the fields, and stores nothing', async () => {
    await store.policy.putQueue(aQueue('org', { guaranteed: { [H]: 8 } }), T0);
    await store.policy.putQueue(aQueue('a', { parent: 'org', guaranteed: { [H]: 6 } }), T0);
    expect(await refusal(aQueue('Bad Name'))).toEqual([
      'queue.name: must be 1-63 lower-case letters, digits or "-", starting with a letter',
    ]);
    expect(await refusal(aQueue('b', { parent: 'nope' }))).toEqual([
      'queue.parent: queue "nope" does not exist',
    ]);
    expect(await refusal(aQueue('org', { parent: 'a', guaranteed: { [H]: 8 } }))).toEqual([
      'queue.parent: would make a cycle: org -> a -> org',
    ]);
    expect(await refusal(aQueue('b', { guaranteed: { TPU: 1 }, max: { [H]: -2 } }))).toEqual([
      'queue.guaranteed["TPU"]: must be a GPU model from the catalog or "*"',
      `queue.max["${H}"]: must be a whole number >= 0 (got -2)`,
    ]);
    expect(await refusal(aQueue('b', { guaranteed: { [H]: 4 }, max: { [H]: 2 } }))).toEqual([
      `queue.guaranteed["${H}"]: is 4, above the maximum of 2`,
    ]);
    expect(await refusal(aQueue('b', { parent: 'org', guaranteed: { [H]: 3 } }))).toEqual([
      `queue.guaranteed["${H}"]: would give the children of "org" 9 guaranteed ${H} GPUs, above its guarantee of 8`,
    ]);
    expect(await refusal(aQueue('b', { weight: Number.NaN }))).toEqual([
      'queue.weight: must be a number greater than 0 (got NaN)',
    ]);
    expect((await store.policy.listQueues()).map((q) => q.name)).toEqual(['a', 'default', 'org']);
  });

  it('refuses children for a queue with unfinished jobs', async () => {
    await aJob(store, scope, { queue: 'default' });
    expect(await refusal(aQueue('team', { parent: 'default' }))).toEqual([
      'queue.parent: queue "default" has unfinished jobs; jobs go to leaf queues, so it cannot get children',
    ]);
  });

  it('deletes a leaf without unfinished jobs, and its usage', async () => {
    await store.policy.putQueue(aQueue('org'), T0);
    await store.policy.putQueue(aQueue('team', { parent: 'org' }), T0);
    await expect(store.policy.deleteQueue('org')).rejects.toThrow(
      new FailedPreconditionError('queue org has child queues (team); delete or move them first'),
    );
    const job = await aJob(store, scope, { queue: 'team' });
    await expect(store.policy.deleteQueue('team')).rejects.toThrow(
      new FailedPreconditionError(
        'queue team has 1 unfinished job; wait for them or cancel them first',
      ),
    );
    await store.jobs.cancel(scope, job, '', store.clock.now());
    await store.policy.accrueUsage(1, [{ queue: 'team', model: H, gpuSeconds: 5 }], T0, 60);
    await store.policy.deleteQueue('team');
    await store.policy.deleteQueue('org');
    expect(await store.policy.listQueues()).toEqual([aQueue('default')]);
    expect(await store.policy.usage()).toEqual([]);
    await expect(store.policy.deleteQueue('team')).rejects.toThrow(
      new NotFoundError('queue', 'team'),
    );
  });

  it('keeps the tree valid under concurrent puts', async () => {
    await store.policy.putQueue(aQueue('org', { guaranteed: { [H]: 8 } }), T0);
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((name) =>
        store.policy.putQueue(aQueue(name, { parent: 'org', guaranteed: { [H]: 4 } }), T0),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const children = (await store.policy.listQueues()).filter((q) => q.parent === 'org');
    expect(children.reduce((n, q) => n + (q.guaranteed[H] ?? 0), 0)).toBe(8);
  });
});
