/**
 * A model of the ledger for the property test: the postings applied (by key, with their body
 * and id) and the balances they make. It predicts what the store must answer to a posting.
 */
import { FailedPreconditionError, type PostingDraft, type PostingRecord } from '@gantry/domain';

/** A posting as the test sends it. */
export interface Attempt {
  readonly draft: PostingDraft;
  readonly mayOverdraw: boolean;
}

/** What the store answers to one posting. */
export type Outcome = 'created' | 'replayed' | 'conflict' | 'refused';

function bodyOf(draft: PostingDraft): string {
  const entries = [...draft.entries].sort((a, b) => a.account.localeCompare(b.account));
  return JSON.stringify([draft.kind, draft.description, draft.leaseId, entries]);
}

/** The postings the store applied, by key, and the balances they add up to. */
export class LedgerModel {
  readonly balances: Map<string, number>;
  private readonly applied = new Map<string, { body: string; id: string }>();

  /** `limits`: each renter account's spend limit; `start`: the balances to begin from. */
  constructor(
    private readonly limits: ReadonlyMap<string, number>,
    start: ReadonlyMap<string, number>,
  ) {
    this.balances = new Map(start);
  }

  apply(draft: PostingDraft, id: string): void {
    this.applied.set(draft.idempotencyKey, { body: bodyOf(draft), id });
    for (const e of draft.entries)
      this.balances.set(e.account, (this.balances.get(e.account) ?? 0) + e.amount);
  }

  postingIdOf(draft: PostingDraft): string | undefined {
    return this.applied.get(draft.idempotencyKey)?.id;
  }

  appliedBody(draft: PostingDraft): string | undefined {
    return this.applied.get(draft.idempotencyKey)?.body;
  }

  limitOf(account: string): number | undefined {
    return this.limits.get(account);
  }

  /** Balances without the zeros, as a plain object (accounts at 0 may or may not exist). */
  nonZero(balances: ReadonlyMap<string, number>): Record<string, number> {
    return Object.fromEntries([...balances].filter(([, v]) => v !== 0).sort());
  }

  /** No renter below minus its spend limit. */
  expectWithinLimits(balances: ReadonlyMap<string, number>): void {
    for (const [account, limit] of this.limits)
      expect({ account, low: (balances.get(account) ?? 0) < -limit }).toEqual({
        account,
        low: false,
      });
  }

  /**
   * Concurrent charges on one renter (`account`), some sent twice: any serial order. Per key at
   * most one is created and its twins replay it; a refused one could not be paid even from the
   * balance left at the end (a group of charges only lowers the balance).
   */
  applyConcurrent(
    group: readonly Attempt[],
    results: readonly PromiseSettledResult<{ posting: PostingRecord; created: boolean }>[],
    account: string,
  ): void {
    const created = new Map<string, string>();
    group.forEach((a, i) => {
      const r = results[i]!;
      if (r.status === 'fulfilled' && r.value.created) {
        expect(created.has(a.draft.idempotencyKey)).toBe(false);
        created.set(a.draft.idempotencyKey, r.value.posting.id);
        this.apply(a.draft, r.value.posting.id);
      }
    });
    const final = this.balances.get(account) ?? 0;
    const limit = this.limits.get(account)!;
    group.forEach((a, i) => {
      const r = results[i]!;
      if (r.status === 'fulfilled') {
        expect(r.value.posting.id).toBe(created.get(a.draft.idempotencyKey));
      } else {
        expect(r.reason).toBeInstanceOf(FailedPreconditionError);
        const debit = a.draft.entries.find((e) => e.account === account)!.amount;
        expect(final + debit).toBeLessThan(-limit);
      }
    });
  }
}

/** What the store must answer to `attempt`, given what the model applied so far. */
export function predict(model: LedgerModel, attempt: Attempt): Outcome {
  const earlier = model.appliedBody(attempt.draft);
  if (earlier !== undefined) return earlier === bodyOf(attempt.draft) ? 'replayed' : 'conflict';
  for (const e of attempt.draft.entries) {
    const limit = model.limitOf(e.account);
    if (limit === undefined || e.amount >= 0 || attempt.mayOverdraw) continue;
    if ((model.balances.get(e.account) ?? 0) + e.amount < -limit) return 'refused';
  }
  return 'created';
}
