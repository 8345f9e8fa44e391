import { ValidationError, type JobState } from '@gantry/domain';
import type { ListJobsQuery, Scope } from '@gantry/store';
import { aCycle, aNode, aSpec, aTenant, openPostgresStore, type StoreHarness } from './harness';

describe('ListJobs (PostgreSQL)', () => {
  let store: StoreHarness;
  let a: Scope;
  let b: Scope;

  const query = (overrides: Partial<ListJobsQuery> = {}): ListJobsQuery => ({
    states: [],
    queue: '',
    pageSize: 100,
    pageToken: '',
    ...overrides,
  });

  async function submit(scope: Scope, queue = 'default'): Promise<string> {
    const { job } = await store.jobs.submit({
      tenantId: scope.tenantId,
      spec: aSpec({ queue }),
      idempotencyKey: null,
      now: store.clock.advance(1000),
    });
    return job.id;
  }

  beforeEach(async () => {
    store = await openPostgresStore('list');
    a = await aTenant(store, 'team-a');
    b = await aTenant(store, 'team-b');
  });

  afterEach(async () => {
    await store.close();
  });

  it('lists newest first across pages, scoped to the tenant', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push(await submit(a));
      await submit(b);
    }
    const seen: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await store.jobs.list(a, query({ pageSize: 3, pageToken }));
      expect(page.jobs.length).toBeLessThanOrEqual(3);
      seen.push(...page.jobs.map((j) => j.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    expect(pages).toBe(3);
    expect(seen).toEqual([...mine].reverse());
  });

  it('gives no next page when the last page is exactly full', async () => {
    await submit(a);
    await submit(a);
    const page = await store.jobs.list(a, query({ pageSize: 2 }));
    expect(page.jobs).toHaveLength(2);
    expect(page.nextPageToken).toBe('');
  });

  it('shows an admin every tenant', async () => {
    const ids = [await submit(a), await submit(b)];
    const page = await store.jobs.list({ tenantId: a.tenantId, admin: true }, query());
    expect(page.jobs.map((j) => j.id)).toEqual([...ids].reverse());
    expect(page.jobs.map((j) => j.tenantName)).toEqual(['team-b', 'team-a']);
  });

  it('filters by queue and by states', async () => {
    const node = await aNode(store, 'n1');
    const rl = await submit(a, 'rl');
    const other = await submit(a, 'batch');
    const placed = await submit(a, 'rl');
    await store.jobs.commitCycle(
      1,
      aCycle({
        placements: [
          { jobId: placed, allocations: [{ nodeId: node.id, nodeName: 'n1', gpuIndices: [0] }] },
        ],
      }),
      store.clock.now(),
    );
    const ids = async (q: Partial<ListJobsQuery>) =>
      (await store.jobs.list(a, query(q))).jobs.map((j) => j.id);
    expect(await ids({ queue: 'rl' })).toEqual([placed, rl]);
    expect(await ids({ states: ['pending'] })).toEqual([other, rl]);
    const active: JobState[] = ['scheduled', 'running'];
    expect(await ids({ states: active, queue: 'rl' })).toEqual([placed]);
    expect(await ids({ queue: 'none' })).toEqual([]);
    const withAttempts = await store.jobs.list(a, query({ states: ['scheduled'] }));
    expect(withAttempts.jobs[0]!.attempts).toMatchObject([
      { number: 1, nodeId: node.id, nodeName: 'n1', gpuIndices: [0], state: 'dispatching' },
    ]);
  });

  it('rejects a page token it did not issue and a bad page size', async () => {
    const bad: unknown = await store.jobs
      .list(a, query({ pageToken: 'not-a-token' }))
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).violations[0]!.field).toBe('page_token');
    for (const pageSize of [0, 1001, 1.5]) {
      const error: unknown = await store.jobs.list(a, query({ pageSize })).catch((e: unknown) => e);
      expect((error as ValidationError).violations[0]!.field).toBe('page_size');
    }
  });
});
