/**
 * The market's repositories (ADR 10): renters, the double-entry ledger, leases. The control plane
 * codes against these; the Kysely implementations live beside them.
 */
import type {
  LeaseEndReason,
  LeaseProduct,
  LeaseRecord,
  LeaseState,
  Micros,
  PostingDraft,
  PostingKind,
  PostingRecord,
  PriceBounds,
} from '@gantry/domain';
import type { Credential } from '@gantry/domain';
import type { Scope, TenantRecord } from './tenants';

export interface RenterRecord {
  readonly tenant: TenantRecord;
  readonly spendLimit: Micros;
  readonly balance: Micros;
  readonly activeLeases: number;
}

export interface RenterRepository {
  /** A renter (a tenant of kind renter, its ledger account) and its first API key. */
  createRenter(
    name: string,
    spendLimit: Micros,
    now: number,
  ): Promise<{ renter: RenterRecord; apiKey: Credential }>;
  listRenters(): Promise<RenterRecord[]>;
  /** NotFoundError for a name that is no renter. */
  getRenter(name: string): Promise<RenterRecord>;
  /** Whether a tenant is a renter (renters may not use internal-only calls). */
  isRenter(tenantId: string): Promise<boolean>;
  setSpendLimit(name: string, spendLimit: Micros): Promise<RenterRecord>;
}

/** Why a posting was refused. */
export interface PostOptions {
  /**
   * Whether the posting may take a renter's balance below minus its spend limit (credits and
   * top-ups only add; charges may not overdraw).
   */
  readonly mayOverdraw: boolean;
}

export interface StatementLineRecord {
  readonly time: number;
  readonly kind: PostingKind;
  /** On the renter's account: positive in, negative out. */
  readonly amount: Micros;
  readonly balanceAfter: Micros;
  readonly leaseId: string | null;
  readonly description: string;
  readonly postingId: string;
}

export interface LedgerRepository {
  /**
   * Writes a posting (its entries sum to zero) in one transaction. The same idempotency key with
   * the same body returns the first posting (created=false); with another body:
   * AlreadyExistsError. A posting that would take a renter's balance below minus its spend
   * limit, unless `mayOverdraw`: FailedPreconditionError, nothing written. The posting returned
   * lists its entries by account name.
   */
  post(
    draft: PostingDraft,
    now: number,
    options?: PostOptions,
  ): Promise<{ posting: PostingRecord; created: boolean }>;
  /** An account's balance (0 for an account never posted to). */
  balance(account: string): Promise<Micros>;
  /** Every account's balance; they sum to zero. */
  balances(): Promise<ReadonlyMap<string, Micros>>;
  /**
   * The entries of a renter's account in [from, to), optionally of one lease, oldest first;
   * opening and closing are the account's balance at `from` and at `to` (now when open).
   */
  statement(
    tenantId: string,
    range: { readonly from: number | null; readonly to: number | null; readonly leaseId?: string },
  ): Promise<{ opening: Micros; closing: Micros; lines: StatementLineRecord[] }>;
}

export interface NewLease {
  readonly tenantId: string;
  readonly product: LeaseProduct;
  readonly gpuModel: string;
  readonly gpus: number;
  readonly nodes: number;
  readonly fabricDomain: string | null;
  readonly pricePerGpuHour: Micros;
  readonly durationSeconds: number;
  readonly noticeSeconds: number;
  readonly windowStartsAt: number | null;
  readonly idempotencyKey: string | null;
}

export interface LeaseEventRecord {
  readonly sequence: number;
  readonly time: number;
  readonly type: string;
  readonly message: string;
  readonly noticeEndsAt: number | null;
  readonly amount: Micros;
}

export interface LeaseRepository {
  /** Records a new pending lease (idempotent by tenant + key, like a submit). */
  create(lease: NewLease, now: number): Promise<{ lease: LeaseRecord; created: boolean }>;
  /** A tenant's lease with this idempotency key, or null. */
  byKey(tenantId: string, key: string): Promise<LeaseRecord | null>;
  /** A lease the scope may see; NotFoundError otherwise. */
  get(scope: Scope, leaseId: string): Promise<LeaseRecord>;
  list(
    scope: Scope,
    states: readonly LeaseState[],
    pageSize: number,
    pageToken: string,
  ): Promise<{ leases: LeaseRecord[]; nextPageToken: string }>;
  /** Leases that have not ended, oldest first (the lease controller's work). */
  live(limit: number): Promise<LeaseRecord[]>;
  /** The lease's events from `fromSequence` on. */
  events(leaseId: string, fromSequence: number): Promise<LeaseEventRecord[]>;
  /** The renter jobs in a lease (see LeaseJobs). */
  jobs(leaseId: string): Promise<LeaseJobs>;
  /** Records the job holding the lease's GPUs. */
  setJob(leaseId: string, jobId: string): Promise<void>;
  /** Adds a posted charge or credit to the lease's totals (idempotency is the ledger's). */
  addMoney(
    leaseId: string,
    money: { readonly gpuSeconds: number; readonly charged: Micros; readonly credited: Micros },
    meteredUntil: number | null,
  ): Promise<void>;
  /** Applies a change to a lease (under its lock) and appends its events. */
  update(
    leaseId: string,
    change: (lease: LeaseRecord) => {
      readonly patch: Partial<LeaseRecord>;
      readonly events: readonly Omit<LeaseEventRecord, 'sequence' | 'time'>[];
    } | null,
    now: number,
  ): Promise<LeaseRecord>;
}

/** A renter's jobs in one lease, as the lease placer sees them. */
export interface LeaseJobs {
  /** Pending jobs whose dependencies have all ended, oldest first. */
  readonly pending: readonly {
    readonly id: string;
    readonly gpus: number;
    readonly nodes: number;
  }[];
  /** The GPUs of the lease's node that its jobs' active attempts hold. */
  readonly held: readonly { readonly nodeId: string; readonly gpuIndices: readonly number[] }[];
  /** Jobs that have not ended (to stop when the lease ends). */
  readonly live: readonly string[];
}

export interface MarketSampleRecord {
  readonly time: number;
  readonly gpusTotal: number;
  readonly gpusInternal: number;
  readonly gpusRented: number;
  readonly gpusIdle: number;
  readonly revenue: Micros;
  readonly queuePressure: number;
  /** Per `<gpu model>/<product>`: the price then (micro-dollars per GPU-hour). */
  readonly prices: Readonly<Record<string, Micros>>;
}

export interface MarketSampleRepository {
  record(sample: MarketSampleRecord): Promise<void>;
  /** Samples in [from, to], oldest first, at most `limit` (evenly thinned when there are more). */
  list(from: number, to: number, limit: number): Promise<MarketSampleRecord[]>;
}

export type { LeaseEndReason };

/** Price bounds per GPU model and product (ADR 10); the market price moves inside them. */
export interface PriceBoundsRepository {
  /** Every model's and product's bounds, by model then product. */
  list(): Promise<PriceBounds[]>;
  /** One model's bounds for a product; undefined when none are set. */
  get(gpuModel: string, product: LeaseProduct): Promise<PriceBounds | undefined>;
  /**
   * Sets a model's bounds for a product (replacing any). ValidationError naming the field
   * (`bounds.min_micros_per_gpu_hour`, ...) unless min <= base <= max, all > 0, a catalog model.
   */
  put(bounds: PriceBounds, now: number): Promise<PriceBounds>;
  /** Sets each of `defaults` whose model and product have none; returns how many it set. */
  seedDefaults(defaults: readonly PriceBounds[], now: number): Promise<number>;
}
