import {
  AlreadyExistsError,
  chargePosting,
  CREDITS_ACCOUNT,
  creditPosting,
  FailedPreconditionError,
  InternalError,
  NotFoundError,
  renterAccount,
  revenueAccount,
  TOPUPS_ACCOUNT,
  topUpPosting,
  type PostingDraft,
} from '@gantry/domain';
import { ledgerFacts, ledgerRowCounts, SOUND_LEDGER } from './ledger-invariants';
import { openPostgresStore, type StoreHarness } from './harness';

describe('the ledger (PostgreSQL)', () => {
  let store: StoreHarness;
  let tenantId: string;
  let lease: { id: string; tenantId: string; product: string };

  beforeEach(async () => {
    store = await openPostgresStore('ledger');
    const { renter } = await store.renters.createRenter('acme', 1_000_000, store.clock.now());
    tenantId = renter.tenant.id;
    lease = { id: 'lease_1', tenantId, product: 'on-demand' };
  });

  afterEach(async () => {
    await store.close();
  });

  const renter = () => renterAccount(tenantId);
  const topUp = (amount: number, key = `top/${amount}`) =>
    store.ledger.post(topUpPosting(tenantId, amount, key, ''), store.clock.advance(1000), {
      mayOverdraw: true,
    });

  it('writes a posting: its entries, the running balances, and returns it', async () => {
    const { posting, created } = await topUp(5_000_000, 'k1');
    expect(created).toBe(true);
    expect(posting.id).toMatch(/^post_/);
    expect(posting).toEqual({
      id: posting.id,
      idempotencyKey: 'k1',
      kind: 'topup',
      description: 'top-up',
      leaseId: null,
      createdAt: store.clock.now(),
      entries: [
        { account: renter(), amount: 5_000_000 },
        { account: TOPUPS_ACCOUNT, amount: -5_000_000 },
      ],
    });
    await store.ledger.post(chargePosting(lease, 1_500_000, 0, 60_000, 60), store.clock.now());
    expect(await store.ledger.balances()).toEqual(
      new Map([
        [renter(), 3_500_000],
        [revenueAccount('on-demand'), 1_500_000],
        [TOPUPS_ACCOUNT, -5_000_000],
      ]),
    );
    expect(await store.ledger.balance(renter())).toBe(3_500_000);
    expect(await store.ledger.balance('never-posted')).toBe(0);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
  });

  it('applies a retried posting once and returns the first (same key, same body)', async () => {
    const first = await topUp(2_000_000, 'k1');
    const again = await topUp(2_000_000, 'k1');
    expect(again).toEqual({ posting: first.posting, created: false });
    expect(await store.ledger.balance(renter())).toBe(2_000_000);
    // The body is the same whatever the order of its entries.
    const draft = topUpPosting(tenantId, 2_000_000, 'k1', '');
    const reordered = { ...draft, entries: [...draft.entries].reverse() };
    expect((await store.ledger.post(reordered, store.clock.now())).created).toBe(false);
    expect(await ledgerRowCounts(store)).toEqual({ postings: 1, entries: 2, accounts: 2 });
  });

  it('refuses the same key with another body: AlreadyExistsError naming the key, nothing written', async () => {
    await topUp(2_000_000, 'k1');
    const before = await ledgerRowCounts(store);
    const error = await topUp(3_000_000, 'k1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect((error as Error).message).toMatch(
      /^posting k1 already exists \(post_\w+\) with another body$/,
    );
    expect(await ledgerRowCounts(store)).toEqual(before);
    expect(await store.ledger.balance(renter())).toBe(2_000_000);
  });

  it('refuses a charge past minus the spend limit whole; the key stays free', async () => {
    await topUp(500_000);
    const before = await ledgerRowCounts(store);
    // 500,000 in, a limit of 1,000,000: 1,500,000 may be spent, not 1,500,001.
    const over = chargePosting(lease, 1_500_001, 0, 60_000, 60);
    const error = await store.ledger.post(over, store.clock.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect((error as Error).message).toBe(
      `posting ${over.idempotencyKey} would take ${renter()} to -1000001 micro-dollars, ` +
        'below minus its spend limit of 1000000',
    );
    expect(await ledgerRowCounts(store)).toEqual(before);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
    await store.ledger.post(chargePosting(lease, 1_500_000, 0, 60_000, 60), store.clock.now());
    expect(await store.ledger.balance(renter())).toBe(-1_000_000);
    // A credit may land below the limit, and mayOverdraw lets a posting through anyway.
    await store.renters.setSpendLimit('acme', 0);
    await store.ledger.post(creditPosting(lease, 10, 'fault', 'x'), store.clock.now());
    const forced = chargePosting(lease, 5, 60_000, 61_000, 1);
    await expect(store.ledger.post(forced, store.clock.now())).rejects.toThrow(
      FailedPreconditionError,
    );
    await store.ledger.post(forced, store.clock.now(), { mayOverdraw: true });
    expect(await store.ledger.balance(renter())).toBe(-999_995);
    expect(await store.ledger.balance(CREDITS_ACCOUNT)).toBe(-10);
  });

  it('refuses a malformed posting as a bug (InternalError) and writes nothing', async () => {
    const base = topUpPosting(tenantId, 10, 'bad', '');
    const cases: PostingDraft[] = [
      { ...base, entries: [{ account: renter(), amount: 10 }] },
      { ...base, entries: [...base.entries, { account: 'x', amount: 1 }] },
      { ...base, entries: [base.entries[0]!, { ...base.entries[0]!, amount: -10 }] },
      {
        ...base,
        entries: [
          { account: renter(), amount: 0.5 },
          { account: 'x', amount: -0.5 },
        ],
      },
      { ...base, idempotencyKey: '' },
    ];
    for (const draft of cases) {
      await expect(store.ledger.post(draft, store.clock.now())).rejects.toBeInstanceOf(
        InternalError,
      );
    }
    expect(await ledgerRowCounts(store)).toEqual({ postings: 0, entries: 0, accounts: 1 });
  });

  it('refuses a renter account of no renter (NotFoundError), writing nothing', async () => {
    const stranger = topUpPosting('ten_nobody', 10, 'k', '');
    await expect(store.ledger.post(stranger, store.clock.now())).rejects.toThrow(
      new NotFoundError('renter', 'ten_nobody'),
    );
    expect(await ledgerRowCounts(store)).toEqual({ postings: 0, entries: 0, accounts: 1 });
  });

  it('serializes concurrent charges on one renter: exactly what the limit allows goes through', async () => {
    await topUp(1_000_000);
    // 2,000,000 may be spent; 30 charges of 100,000 race for it.
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.ledger.post(chargePosting(lease, 100_000, i, i + 1, 1), store.clock.now()),
      ),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    for (const r of refused) expect(r.reason).toBeInstanceOf(FailedPreconditionError);
    expect(await store.ledger.balance(renter())).toBe(-1_000_000);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
  });

  it('locks accounts in one order: opposite transfers between two renters never deadlock', async () => {
    const { renter: other } = await store.renters.createRenter('beta', 1_000, store.clock.now());
    const a = renter();
    const b = renterAccount(other.tenant.id);
    await topUp(1_000);
    // Each posting lists its entries in the other order from the one before.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.ledger.post(
          {
            idempotencyKey: `move/${i}`,
            kind: 'adjustment',
            description: 'move',
            leaseId: null,
            entries:
              i % 2 === 0
                ? [
                    { account: a, amount: -1 },
                    { account: b, amount: 1 },
                  ]
                : [
                    { account: b, amount: -1 },
                    { account: a, amount: 1 },
                  ],
          },
          store.clock.now(),
        ),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(await store.ledger.balance(a)).toBe(1_000);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
  });

  it('creates a posting once when the same key races itself', async () => {
    const draft = topUpPosting(tenantId, 700, 'race', '');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.ledger.post(draft, store.clock.now())),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.posting.id)).size).toBe(1);
    expect(await store.ledger.balance(renter())).toBe(700);
  });
});
