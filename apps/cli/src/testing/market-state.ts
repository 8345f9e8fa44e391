/**
 * The in-memory market behind the market double (market-double.ts): leases bought, extended,
 * released and reclaimed, renters and their top-ups, price bounds. It keeps the rules the CLI
 * relies on and nothing more: idempotency keys (the same key and body return the first result,
 * another body is ALREADY_EXISTS), NOT_FOUND for unknown names, newest-first paging.
 */
import {
  AlreadyExistsError,
  FailedPreconditionError,
  NotFoundError,
  ValidationError,
} from '@gantry/domain';
import {
  LeaseProduct,
  LeaseRequest,
  LeaseState,
  TopUpRequest,
  type Lease,
  type ListLeasesRequest,
  type PriceBounds,
  type Renter,
} from '@gantry/proto';

/** A lease id of the double: `lease_01jf` and a counter, 26 characters after the prefix. */
export const doubleLeaseId = (n: number) => `lease_01jf${String(n).padStart(22, '0')}`;

const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

export class MarketState {
  readonly leases: Lease[] = [];
  readonly renters = new Map<string, Renter>();
  readonly prices = new Map<string, PriceBounds>();
  private readonly leaseKeys = new Map<string, { request: string; lease: Lease }>();
  private readonly topUps = new Map<string, { request: string; postingId: string }>();
  private nextPosting = 1;

  constructor(
    readonly now: Date,
    /** The price of an on-demand or reserved lease (an interruptible one pays its bid). */
    private readonly price: (request: LeaseRequest) => number,
  ) {}

  lease(leaseId: string): Lease {
    const lease = this.leases.find((l) => l.id === leaseId);
    if (!lease) throw new NotFoundError('lease', leaseId);
    return lease;
  }

  createLease(request: LeaseRequest, key: string): { lease: Lease; created: boolean } {
    const body = JSON.stringify(LeaseRequest.toJSON(request));
    const earlier = key ? this.leaseKeys.get(key) : undefined;
    if (earlier && earlier.request !== body)
      throw new AlreadyExistsError(`idempotency key ${key} was used for another lease`);
    if (earlier) return { lease: earlier.lease, created: false };
    const interruptible = request.product === LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE;
    const lease: Lease = {
      id: doubleLeaseId(this.leases.length + 1),
      renter: 'acme',
      product: request.product,
      gpuModel: request.gpuModel,
      gpus: request.gpus,
      nodes: request.nodes || 1,
      fabricDomain: request.fabricDomain,
      priceMicrosPerGpuHour: interruptible ? request.bidMicrosPerGpuHour : this.price(request),
      state: LeaseState.LEASE_STATE_PENDING,
      endReason: '',
      message: 'waiting for GPUs',
      createTime: this.now,
      notice: interruptible ? { seconds: 120, nanos: 0 } : undefined,
      windowStartTime: request.windowStartTime,
      gpuSeconds: 0,
      chargedMicros: 0,
      creditedMicros: 0,
      nodeNames: [],
      idempotencyKey: key,
    };
    this.leases.push(lease);
    if (key) this.leaseKeys.set(key, { request: body, lease });
    return { lease, created: true };
  }

  listLeases(request: ListLeasesRequest): { leases: Lease[]; nextPageToken: string } {
    const all = [...this.leases]
      .reverse()
      .filter((l) => request.states.length === 0 || request.states.includes(l.state));
    const from = Number(request.pageToken || '0');
    const to = from + (request.pageSize || 100);
    return { leases: all.slice(from, to), nextPageToken: to < all.length ? String(to) : '' };
  }

  extendLease(leaseId: string, bySeconds: number): Lease {
    const lease = this.lease(leaseId);
    if (lease.product === LeaseProduct.LEASE_PRODUCT_RESERVED)
      throw new FailedPreconditionError(`lease ${leaseId} is reserved: its window cannot move`);
    lease.expireTime = addSeconds(lease.expireTime ?? this.now, bySeconds);
    return lease;
  }

  endLease(leaseId: string, reason: string): Lease {
    const lease = this.lease(leaseId);
    if (lease.state === LeaseState.LEASE_STATE_ENDED) return lease;
    Object.assign(lease, { state: LeaseState.LEASE_STATE_ENDED, endReason: reason });
    lease.endTime = this.now;
    return lease;
  }

  reclaimLease(leaseId: string, noticeSeconds: number, reason: string): Lease {
    const lease = this.lease(leaseId);
    if (lease.state === LeaseState.LEASE_STATE_ENDED)
      throw new FailedPreconditionError(`lease ${leaseId} has ended`);
    if (noticeSeconds === 0) return this.endLease(leaseId, 'reclaimed');
    Object.assign(lease, { state: LeaseState.LEASE_STATE_NOTICE, message: reason });
    lease.noticeEndTime = addSeconds(this.now, noticeSeconds);
    return lease;
  }

  renter(name: string): Renter {
    const renter = this.renters.get(name);
    if (!renter) throw new NotFoundError('renter', name);
    return renter;
  }

  createRenter(name: string, spendLimitMicros: number): Renter {
    if (this.renters.has(name)) throw new AlreadyExistsError(`tenant ${name} already exists`);
    const renter: Renter = {
      name,
      balanceMicros: 0,
      spendLimitMicros,
      activeLeases: 0,
      createTime: this.now,
    };
    this.renters.set(name, renter);
    return renter;
  }

  /** Credits once per key: a retry with the same key and body returns the first posting. */
  topUp(request: TopUpRequest): { renter: Renter; postingId: string } {
    if (!request.idempotencyKey) throw ValidationError.field('idempotency_key', 'is required');
    const renter = this.renter(request.renter);
    const body = JSON.stringify(TopUpRequest.toJSON(request));
    const earlier = this.topUps.get(request.idempotencyKey);
    if (earlier && earlier.request !== body)
      throw new AlreadyExistsError(
        `idempotency key ${request.idempotencyKey} was used for another top-up`,
      );
    if (earlier) return { renter, postingId: earlier.postingId };
    renter.balanceMicros += request.amountMicros;
    const postingId = `posting_${String(this.nextPosting++).padStart(2, '0')}`;
    this.topUps.set(request.idempotencyKey, { request: body, postingId });
    return { renter, postingId };
  }

  putPrice(bounds: PriceBounds): PriceBounds {
    const saved = { ...bounds, currentMicrosPerGpuHour: bounds.baseMicrosPerGpuHour };
    this.prices.set(`${bounds.gpuModel}/${bounds.product}`, saved);
    return saved;
  }
}
