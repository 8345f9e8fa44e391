/**
 * LedgerRepository over arrays, for unit tests only: the same rules as the PostgreSQL one
 * (balanced postings, idempotency by key and body, the spend limit) without its concurrency
 * (test/integration covers that).
 */
import {
  AlreadyExistsError,
  canonicalJson,
  FailedPreconditionError,
  InternalError,
  isBalanced,
  newId,
  renterAccount,
  type Micros,
  type PostingDraft,
  type PostingRecord,
} from '@gantry/domain';
import type { LedgerRepository, PostOptions, StatementLineRecord } from '@gantry/store';

interface Entry {
  readonly posting: PostingRecord;
  readonly account: string;
  readonly amount: Micros;
  readonly balanceAfter: Micros;
}

/** The ledger in memory; `postings` by idempotency key, for assertions. */
export class InMemoryLedgerRepository implements LedgerRepository {
  readonly postings = new Map<string, PostingRecord>();
  private readonly entries: Entry[] = [];
  private readonly accounts = new Map<string, Micros>();

  /** `spendLimitOf`: a renter's spend limit by tenant id (undefined: not a renter). */
  constructor(private readonly spendLimitOf: (tenantId: string) => Micros | undefined) {}

  async post(
    draft: PostingDraft,
    now: number,
    options: PostOptions = { mayOverdraw: false },
  ): Promise<{ posting: PostingRecord; created: boolean }> {
    if (!isBalanced(draft.entries) || draft.idempotencyKey === '')
      throw new InternalError(`posting ${draft.idempotencyKey} is not balanced`);
    const entries = [...draft.entries].sort((a, b) => a.account.localeCompare(b.account));
    const earlier = this.postings.get(draft.idempotencyKey);
    if (earlier) {
      if (
        canonicalJson({ ...earlier, id: '', createdAt: 0 }) !==
        canonicalJson({ ...draft, entries, id: '', createdAt: 0 })
      )
        throw new AlreadyExistsError(
          `posting ${draft.idempotencyKey} already exists (${earlier.id}) with another body`,
        );
      return { posting: earlier, created: false };
    }
    for (const e of entries) {
      const tenantId = e.account.startsWith('renter:') ? e.account.slice(7) : undefined;
      const limit = tenantId === undefined ? undefined : this.spendLimitOf(tenantId);
      const after = (this.accounts.get(e.account) ?? 0) + e.amount;
      if (limit !== undefined && e.amount < 0 && after < -limit && !options.mayOverdraw)
        throw new FailedPreconditionError(
          `posting ${draft.idempotencyKey} would take ${e.account} to ${after} micro-dollars, ` +
            `below minus its spend limit of ${limit}`,
        );
    }
    const posting: PostingRecord = {
      ...draft,
      entries,
      id: newId('posting', { now: () => now }),
      createdAt: now,
    };
    this.postings.set(draft.idempotencyKey, posting);
    for (const e of entries) {
      const balanceAfter = (this.accounts.get(e.account) ?? 0) + e.amount;
      this.accounts.set(e.account, balanceAfter);
      this.entries.push({ posting, account: e.account, amount: e.amount, balanceAfter });
    }
    return { posting, created: true };
  }

  async balance(account: string): Promise<Micros> {
    return this.accounts.get(account) ?? 0;
  }

  async balances(): Promise<ReadonlyMap<string, Micros>> {
    return new Map(this.accounts);
  }

  async statement(
    tenantId: string,
    range: { readonly from: number | null; readonly to: number | null; readonly leaseId?: string },
  ): Promise<{ opening: Micros; closing: Micros; lines: StatementLineRecord[] }> {
    const mine = this.entries.filter((e) => e.account === renterAccount(tenantId));
    const before = (time: number | null) =>
      time === null
        ? (this.accounts.get(renterAccount(tenantId)) ?? 0)
        : (mine.filter((e) => e.posting.createdAt < time).at(-1)?.balanceAfter ?? 0);
    const lines = mine
      .filter(
        (e) =>
          (range.from === null || e.posting.createdAt >= range.from) &&
          (range.to === null || e.posting.createdAt < range.to) &&
          (range.leaseId === undefined || e.posting.leaseId === range.leaseId),
      )
      .map((e) => ({
        time: e.posting.createdAt,
        kind: e.posting.kind,
        amount: e.amount,
        balanceAfter: e.balanceAfter,
        leaseId: e.posting.leaseId,
        description: e.posting.description,
        postingId: e.posting.id,
      }));
    return {
      opening: range.from === null ? 0 : before(range.from),
      closing: before(range.to),
      lines,
    };
  }
}
