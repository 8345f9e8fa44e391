/**
 * Property: random sequences of top-ups, charges, credits, refunds, retried postings (same key,
 * same body), conflicting retries (same key, other body) and concurrent charges on one renter
 * keep every invariant of the ledger, on real PostgreSQL (a private schema). A model of
 * the applied postings predicts each sequential outcome; concurrent groups are checked against
 * what any serial order allows.
 */
import fc from 'fast-check';
import {
  AlreadyExistsError,
  chargePosting,
  creditPosting,
  FailedPreconditionError,
  renterAccount,
  revenueAccount,
  topUpPosting,
  type PostingDraft,
} from '@gantry/domain';
import { ledgerFacts, SOUND_LEDGER } from './ledger-invariants';
import { LedgerModel, predict, type Attempt } from './ledger-model';
import { openPostgresStore, type StoreHarness } from './harness';

type Step =
  | {
      readonly t: 'topup' | 'charge' | 'credit' | 'refund';
      readonly who: number;
      readonly amount: number;
    }
  | { readonly t: 'retry' | 'conflict'; readonly back: number }
  | {
      readonly t: 'concurrent';
      readonly who: number;
      readonly amounts: number[];
      readonly dup: number;
    };

const amount = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 3_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000_000_000_000 }) },
);
const who = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constantFrom('topup', 'charge', 'credit', 'refund'), who, amount }),
  fc.record({ t: fc.constantFrom('retry', 'conflict'), back: fc.nat(20) }),
  fc.record({
    t: fc.constant('concurrent'),
    who,
    amounts: fc.array(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 2, maxLength: 8 }),
    dup: fc.nat(3),
  }),
);

const LIMITS = [0, 1_000_000, 3_000_000];

describe('the ledger under random postings (PostgreSQL, property)', () => {
  let store: StoreHarness;
  let runs = 0;

  beforeAll(async () => {
    store = await openPostgresStore('ledgerprop');
  });

  afterAll(async () => {
    await store.close();
  });

  // One schema for every run: each run has its own renters, leases and keys, and its model
  // starts from the balances the runs before it left (the shared accounts keep adding up).
  it('keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.tuple(fc.constantFrom(...LIMITS), fc.constantFrom(...LIMITS)),
        (steps, limits) => run(store, `run${(runs += 1)}`, steps, limits),
      ),
      { numRuns: 15 },
    );
  });
});

async function run(
  store: StoreHarness,
  name: string,
  steps: readonly Step[],
  limits: [number, number],
) {
  const tenants: string[] = [];
  for (const [i, limit] of limits.entries())
    tenants.push((await store.renters.createRenter(`${name}-r${i}`, limit, 0)).renter.tenant.id);
  const model = new LedgerModel(
    new Map(tenants.map((t, i) => [renterAccount(t), limits[i]!])),
    await store.ledger.balances(),
  );
  const tried: Attempt[] = [];
  let serial = 0;
  const fresh = (t: string, w: number, n: number): Attempt => {
    const tenantId = tenants[w]!;
    const lease = { id: `lease_${name}_${w}`, tenantId, product: 'on-demand' };
    serial += 1;
    const draft: PostingDraft =
      t === 'topup'
        ? topUpPosting(tenantId, n, `top/${name}/${serial}`, '')
        : t === 'charge'
          ? chargePosting(lease, n, serial, serial + 1, 1)
          : t === 'credit'
            ? creditPosting(lease, n, `cause-${serial}`, 'credit')
            : refund(tenantId, n, `refund/${name}/${serial}`);
    return { draft, mayOverdraw: t !== 'charge' };
  };

  for (const s of steps) {
    const now = store.clock.advance(1000);
    if (s.t === 'concurrent') {
      const group = s.amounts.map((n) => fresh('charge', s.who, n));
      for (let i = 0; i < s.dup; i++) group.push(group[i % group.length]!);
      tried.push(...group);
      const results = await Promise.allSettled(
        group.map((a) => store.ledger.post(a.draft, now, { mayOverdraw: a.mayOverdraw })),
      );
      model.applyConcurrent(group, results, renterAccount(tenants[s.who]!));
    } else {
      const attempt =
        'back' in s
          ? tried.length === 0
            ? fresh('topup', 0, 1)
            : again(tried[tried.length - 1 - (s.back % tried.length)]!, s.t === 'conflict')
          : fresh(s.t, s.who, s.amount);
      tried.push(attempt);
      const expected = predict(model, attempt);
      const outcome = await outcomeOf(
        store.ledger.post(attempt.draft, now, { mayOverdraw: attempt.mayOverdraw }),
      );
      expect(outcome.startsWith('replayed') ? 'replayed' : outcome).toBe(expected);
      if (outcome === 'created') model.apply(attempt.draft, await postingId(store, attempt.draft));
      if (outcome.startsWith('replayed'))
        expect(outcome).toBe(`replayed ${model.postingIdOf(attempt.draft)}`);
    }
    expect(await ledgerFacts(store)).toEqual(SOUND_LEDGER);
    expect(model.nonZero(await store.ledger.balances())).toEqual(model.nonZero(model.balances));
    model.expectWithinLimits(await store.ledger.balances());
  }
}

/** `created`, `replayed <id>`, `refused` or `conflict`; any other error fails the run. */
async function outcomeOf(
  posting: Promise<{ posting: { id: string }; created: boolean }>,
): Promise<string> {
  try {
    const r = await posting;
    return r.created ? 'created' : `replayed ${r.posting.id}`;
  } catch (e) {
    if (e instanceof FailedPreconditionError) return 'refused';
    if (e instanceof AlreadyExistsError) return 'conflict';
    throw e;
  }
}

/** The same posting again, or (conflict) the same key with the amount moved by one. */
function again(attempt: Attempt, conflict: boolean): Attempt {
  if (!conflict) return attempt;
  const entries = attempt.draft.entries.map((e) => ({
    account: e.account,
    amount: e.amount > 0 ? e.amount + 1 : e.amount - 1,
  }));
  return { ...attempt, draft: { ...attempt.draft, entries } };
}

function refund(tenantId: string, n: number, key: string): PostingDraft {
  return {
    idempotencyKey: key,
    kind: 'refund',
    description: 'refund',
    leaseId: null,
    entries: [
      { account: renterAccount(tenantId), amount: n },
      { account: revenueAccount('on-demand'), amount: -n },
    ],
  };
}

async function postingId(store: StoreHarness, draft: PostingDraft): Promise<string> {
  const row = await store.database.db
    .selectFrom('ledger_postings')
    .select('id')
    .where('idempotency_key', '=', draft.idempotencyKey)
    .executeTakeFirstOrThrow();
  return row.id;
}
