import {
  chargePosting,
  creditPosting,
  renterAccount,
  topUpPosting,
  type PostingDraft,
} from '@gantry/domain';
import { ledgerFacts, SOUND_LEDGER } from './ledger-invariants';
import { openPostgresStore, T0, type StoreHarness } from './harness';

const S = 1000;

describe('ledger statements (PostgreSQL)', () => {
  let store: StoreHarness;
  let tenantId: string;

  beforeEach(async () => {
    store = await openPostgresStore('statement');
    tenantId = (await store.renters.createRenter('acme', 0, T0)).renter.tenant.id;
    const other = (await store.renters.createRenter('other', 0, T0)).renter.tenant.id;
    const lease1 = { id: 'lease_1', tenantId, product: 'on-demand' };
    const lease2 = { id: 'lease_2', tenantId, product: 'interruptible' };
    const postings: [number, PostingDraft][] = [
      [1, topUpPosting(tenantId, 10_000_000, 'top/1', 'wire')],
      [1, topUpPosting(other, 99, 'top/2', '')],
      [2, chargePosting(lease1, 1_000_000, T0, T0 + 60 * S, 60)],
      [3, chargePosting(lease2, 500_000, T0, T0 + 30 * S, 30)],
      [4, creditPosting(lease1, 200_000, 'fault', 'fault credit')],
    ];
    for (const [second, draft] of postings)
      await store.ledger.post(draft, T0 + second * S, { mayOverdraw: true });
  });

  afterEach(async () => {
    await store.close();
  });

  it('lists the whole account oldest first, with the balance after each line', async () => {
    const { opening, closing, lines } = await store.ledger.statement(tenantId, {
      from: null,
      to: null,
    });
    expect(opening).toBe(0);
    expect(closing).toBe(8_700_000);
    expect(lines.map((l) => [l.time - T0, l.kind, l.amount, l.balanceAfter, l.leaseId])).toEqual([
      [1 * S, 'topup', 10_000_000, 10_000_000, null],
      [2 * S, 'charge', -1_000_000, 9_000_000, 'lease_1'],
      [3 * S, 'charge', -500_000, 8_500_000, 'lease_2'],
      [4 * S, 'credit', 200_000, 8_700_000, 'lease_1'],
    ]);
    expect(lines[0]!.description).toBe('wire');
    expect(new Set(lines.map((l) => l.postingId)).size).toBe(4);
    expect(lines[0]!.postingId).toMatch(/^post_/);
  });

  it('cuts a period [from, to): the balance at its start and at its end', async () => {
    const period = await store.ledger.statement(tenantId, { from: T0 + 2 * S, to: T0 + 4 * S });
    expect(period.opening).toBe(10_000_000);
    expect(period.closing).toBe(8_500_000);
    expect(period.lines.map((l) => [l.amount, l.balanceAfter])).toEqual([
      [-1_000_000, 9_000_000],
      [-500_000, 8_500_000],
    ]);
    const empty = await store.ledger.statement(tenantId, { from: T0 + 10 * S, to: T0 + 20 * S });
    expect(empty).toEqual({ opening: 8_700_000, closing: 8_700_000, lines: [] });
  });

  it("lists one lease's lines with the account's balance after each", async () => {
    const lease = await store.ledger.statement(tenantId, {
      from: null,
      to: null,
      leaseId: 'lease_1',
    });
    expect(lease.lines.map((l) => [l.kind, l.amount, l.balanceAfter])).toEqual([
      ['charge', -1_000_000, 9_000_000],
      ['credit', 200_000, 8_700_000],
    ]);
    const none = await store.ledger.statement(tenantId, { from: null, to: null, leaseId: 'x' });
    expect(none.lines).toEqual([]);
  });

  it('keeps times in order within an account when a posting comes with an earlier clock', async () => {
    // A replica whose clock is 10 s behind: booked at the account's last time, not before it.
    await store.ledger.post(topUpPosting(tenantId, 1, 'late', ''), T0 - 6 * S);
    const { lines } = await store.ledger.statement(tenantId, { from: T0 + 4 * S, to: null });
    expect(lines.map((l) => [l.time - T0, l.kind, l.balanceAfter])).toEqual([
      [4 * S, 'credit', 8_700_000],
      [4 * S, 'topup', 8_700_001],
    ]);
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
    expect(await store.ledger.balance(renterAccount(tenantId))).toBe(8_700_001);
  });
});
