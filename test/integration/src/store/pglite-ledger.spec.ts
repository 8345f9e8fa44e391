import {
  AlreadyExistsError,
  chargePosting,
  FailedPreconditionError,
  MAX_MICROS,
  renterAccount,
  TOPUPS_ACCOUNT,
  topUpPosting,
} from '@gantry/domain';
import { ledgerFacts, ledgerRowCounts, SOUND_LEDGER } from './ledger-invariants';
import { openPgliteStore, type StoreHarness } from './harness';

describe('renters and the ledger on embedded PGlite', () => {
  let store: StoreHarness;
  let tenantId: string;
  let name: string;
  let renters = 0;

  // One PGlite for the file (opening one is slow); each test has its own renter.
  beforeAll(async () => {
    store = await openPgliteStore();
  });

  beforeEach(async () => {
    name = `acme-${(renters += 1)}`;
    tenantId = (await store.renters.createRenter(name, 1_000, store.clock.now())).renter.tenant.id;
  });

  afterAll(async () => {
    await store.close();
  });

  it('posts, replays, refuses and reads bigint amounts back exactly, as PostgreSQL does', async () => {
    expect(store.database.kind).toBe('pglite');
    // Past 2^32: read back as safe integers whatever PGlite returns.
    const big = MAX_MICROS / 2 + 1;
    const topUps = await store.ledger.balance(TOPUPS_ACCOUNT);
    const first = await store.ledger.post(topUpPosting(tenantId, big, 'k1', ''), 1, {
      mayOverdraw: true,
    });
    expect(await store.ledger.post(topUpPosting(tenantId, big, 'k1', ''), 2)).toEqual({
      posting: first.posting,
      created: false,
    });
    await expect(store.ledger.post(topUpPosting(tenantId, 5, 'k1', ''), 3)).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    const lease = { id: 'lease_a', tenantId, product: 'on-demand' };
    const before = await ledgerRowCounts(store);
    await expect(
      store.ledger.post(chargePosting(lease, big + 1_001, 0, 1, 1), 4),
    ).rejects.toBeInstanceOf(FailedPreconditionError);
    expect(await ledgerRowCounts(store)).toEqual(before);
    await store.ledger.post(chargePosting(lease, big + 1_000, 0, 1, 1), 5);
    expect(await store.ledger.balance(renterAccount(tenantId))).toBe(-1_000);
    expect(await store.ledger.balance(TOPUPS_ACCOUNT)).toBe(topUps - big);
    const { opening, closing, lines } = await store.ledger.statement(tenantId, {
      from: 2,
      to: null,
    });
    expect([opening, closing]).toEqual([big, -1_000]);
    expect(lines.map((l) => [l.kind, l.amount, l.balanceAfter])).toEqual([
      ['charge', -(big + 1_000), -1_000],
    ]);
    expect((await store.renters.getRenter(name)).balance).toBe(-1_000);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
  });

  it('serialises concurrent postings on one renter', async () => {
    await store.ledger.post(topUpPosting(tenantId, 1_000, 'top', ''), 1);
    const lease = { id: 'lease_b', tenantId, product: 'on-demand' };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        store.ledger.post(chargePosting(lease, 500, i, i + 1, 1), 2),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(await store.ledger.balance(renterAccount(tenantId))).toBe(-1_000);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
  });
});
