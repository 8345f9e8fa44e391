/**
 * CreateLease (ADR 10): validates the request (exact field messages), prices it (the quoted
 * price, or the bid for an interruptible lease, which must reach the floor), checks the renter
 * can pay (a reserved lease its whole window, the others their first minute), records a pending
 * lease (idempotent by key: the same request returns the same lease; another is ALREADY_EXISTS)
 * and wakes the leader, whose lease controller submits its job.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  costOf,
  FailedPreconditionError,
  formatDollars,
  renterAccount,
  ValidationError,
  type Clock,
  type LeaseRequest,
  type LeaseRecord,
  type Micros,
} from '@gantry/domain';
import type * as pb from '@gantry/proto';
import type {
  LeaseRepository,
  LedgerRepository,
  RenterRepository,
  TenantIdentity,
} from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { CLOCK, CONFIG, LEASES, LEDGER, QUOTER, RENTERS } from '../infrastructure/tokens';

/** Prices leases (the market's prices and offers); defined here, where it is used. */
export interface LeaseQuoter {
  /** ValidationError naming every bad field of `lease` (`lease.gpus`, ...). */
  validate(lease: pb.LeaseRequest | undefined, now: number): LeaseRequest;
  /** The price per GPU-hour: the quoted one, or the bid (INVALID_ARGUMENT under the floor). */
  price(request: LeaseRequest): Promise<Micros>;
}

const MAX_KEY_LENGTH = 128;

@Injectable()
export class LeasePurchase {
  constructor(
    @Inject(QUOTER) private readonly quoter: LeaseQuoter,
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(LEDGER) private readonly ledger: LedgerRepository,
    @Inject(RENTERS) private readonly renters: RenterRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly effects: JobEffects,
  ) {}

  async buy(
    renter: TenantIdentity,
    req: pb.CreateLeaseRequest,
  ): Promise<{ lease: LeaseRecord; created: boolean }> {
    const key = req.idempotencyKey.trim();
    if (key.length > MAX_KEY_LENGTH || [...key].some((c) => c < ' '))
      throw ValidationError.field(
        'idempotency_key',
        `must be at most ${MAX_KEY_LENGTH} printable characters`,
      );
    const now = this.clock.now();
    const request = this.quoter.validate(req.lease, now);
    const price = await this.quoter.price(request);
    // A retry of a lease already bought is answered as it was, whatever the balance is now.
    const retry = key !== '' && (await this.leases.byKey(renter.tenantId, key)) !== null;
    if (!retry) await this.checkFunds(renter, request, price);
    const result = await this.leases.create(
      {
        tenantId: renter.tenantId,
        product: request.product,
        gpuModel: request.gpuModel,
        gpus: request.gpus,
        nodes: request.nodes,
        fabricDomain: request.fabricDomain,
        pricePerGpuHour: price,
        durationSeconds: request.durationSeconds,
        noticeSeconds: request.product === 'interruptible' ? this.config.leaseNoticeSeconds : 0,
        windowStartsAt: request.windowStartsAt,
        idempotencyKey: key === '' ? null : key,
      },
      now,
    );
    if (result.created) await this.effects.wake([], true);
    return result;
  }

  /** A renter who cannot pay for the start of a lease gets a clear refusal; nothing is bought. */
  private async checkFunds(
    renter: TenantIdentity,
    request: LeaseRequest,
    price: Micros,
  ): Promise<void> {
    const gpus = request.gpus * request.nodes;
    const needed = costOf(
      gpus * (request.product === 'reserved' ? request.durationSeconds : 60),
      price,
    );
    const balance = await this.ledger.balance(renterAccount(renter.tenantId));
    const { spendLimit } = await this.renters.getRenter(renter.tenantName);
    if (balance + spendLimit >= needed) return;
    throw new FailedPreconditionError(
      `the balance (${formatDollars(balance)}, spend limit ${formatDollars(spendLimit)}) cannot pay ${formatDollars(needed)} for this lease's ${request.product === 'reserved' ? 'window' : 'first minute'}; top up first`,
    );
  }
}
