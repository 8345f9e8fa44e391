import { newId, type Clock } from '@gantry/domain';
import type { FileRecord, Scope } from '@gantry/store';
import { aJob, aTenant, openPostgresStore, type StoreHarness } from './harness';

describe('files (PostgreSQL)', () => {
  let store: StoreHarness;
  let alice: Scope;
  let bob: Scope;

  beforeEach(async () => {
    store = await openPostgresStore('files');
    alice = await aTenant(store, 'alice');
    bob = await aTenant(store, 'bob');
  });
  afterEach(() => store.close());

  async function aFile(scope: Scope, overrides: Partial<FileRecord> = {}): Promise<FileRecord> {
    const clock: Clock = { now: () => store.clock.advance(1000) };
    const id = newId('file', clock);
    return store.files.insert({
      id,
      tenantId: scope.tenantId,
      filename: 'requests.jsonl',
      purpose: 'input',
      bytes: 5_000_000_000,
      sha256: 'ab'.repeat(32),
      lines: 50_000,
      storageKey: `files/${id}`,
      jobId: null,
      createdAt: store.clock.now(),
      ...overrides,
    });
  }

  it('keeps a file with sizes past 32 bits and hides it from other tenants', async () => {
    const file = await aFile(alice);
    expect(await store.files.get(alice, file.id)).toEqual(file);
    expect(file.bytes).toBe(5_000_000_000);
    await expect(store.files.get(bob, file.id)).rejects.toThrow(`file ${file.id} not found`);
    expect(await store.files.get({ tenantId: bob.tenantId, admin: true }, file.id)).toEqual(file);
  });

  it('lists a tenant’s files newest first, a page at a time', async () => {
    const mine = [await aFile(alice), await aFile(alice), await aFile(alice)];
    await aFile(bob);
    const first = await store.files.list(alice, 2, '');
    expect(first.files.map((f) => f.id)).toEqual([mine[2]!.id, mine[1]!.id]);
    const second = await store.files.list(alice, 2, first.nextPageToken);
    expect(second).toEqual({ files: [mine[0]], nextPageToken: '' });
    await expect(store.files.list(alice, 2, 'bogus')).rejects.toThrow(
      'page_token: is not a page token from a previous ListFiles reply',
    );
  });

  it('refuses to remove a file a live job reads, and removes it once the job ended', async () => {
    const file = await aFile(alice);
    const jobId = await aJob(store, alice, {
      simulated: undefined,
      command: { argv: ['cat', file.id] },
    });
    await expect(store.files.remove(alice, file.id)).rejects.toThrow(
      `file ${file.id} is read by job ${jobId}, which has not ended`,
    );
    await store.jobs.cancel(alice, jobId, 'done with it', store.clock.now());
    expect(await store.files.remove(alice, file.id)).toEqual(file);
    await expect(store.files.get(alice, file.id)).rejects.toThrow('not found');
  });

  it('does not let another tenant remove a file', async () => {
    const file = await aFile(alice);
    await expect(store.files.remove(bob, file.id)).rejects.toThrow('not found');
    expect(await store.files.get(alice, file.id)).toEqual(file);
  });
});
