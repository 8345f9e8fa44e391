/**
 * The market's prices for buying, shared by Quote and CreateLease (ADR 10), and the market's
 * figures for the admin samples: the view of the market (MarketView: the scheduler's snapshot),
 * the admin's price bounds, and the pure pricing of libs/scheduling. A price without bounds is
 * FAILED_PRECONDITION; a bid under the floor is INVALID_ARGUMENT naming the floor.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  checkBid,
  FailedPreconditionError,
  validateLeaseRequest,
  type LeaseRequest,
  type Micros,
} from '@gantry/domain';
import type * as pb from '@gantry/proto';
import { demandOn, priceOf, priceTable, type PriceDerivation } from '@gantry/scheduling';
import type { PriceBoundsRepository } from '@gantry/store';
import { CONFIG, PRICE_BOUNDS } from '../infrastructure/tokens';
import type { LeaseQuoter } from './lease-purchase';
import { leaseRequestFromProto } from './market.mapper';
import type { MarketFigures } from './market-sampler';
import { MarketView, priceWeights } from './market-view';

@Injectable()
export class MarketQuoter implements LeaseQuoter, MarketFigures {
  constructor(
    private readonly market: MarketView,
    @Inject(PRICE_BOUNDS) private readonly prices: PriceBoundsRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  validate(lease: pb.LeaseRequest | undefined, now: number): LeaseRequest {
    return validateLeaseRequest(leaseRequestFromProto(lease), now);
  }

  /** The product's price on the model now, with how it was derived. */
  async derive(request: LeaseRequest): Promise<PriceDerivation> {
    const [state, bounds] = await Promise.all([
      this.market.current(),
      this.prices.get(request.gpuModel, request.product),
    ]);
    if (!bounds)
      throw new FailedPreconditionError(
        `${request.product} leases of ${request.gpuModel} have no price bounds; an admin sets them with PutPriceBounds`,
      );
    return priceOf(bounds, demandOn(state.figures, request.gpuModel), priceWeights(this.config));
  }

  /** What the lease pays per GPU-hour: the price, or its bid (at least the floor). */
  async price(request: LeaseRequest): Promise<Micros> {
    const derivation = await this.derive(request);
    checkBid(request, derivation.price);
    return request.bidPerGpuHour ?? derivation.price;
  }

  async current(): Promise<{ queuePressure: number; prices: Record<string, Micros> }> {
    const [state, bounds] = await Promise.all([this.market.current(), this.prices.list()]);
    const table = priceTable(bounds, state.figures, priceWeights(this.config));
    const prices: Record<string, Micros> = {};
    for (const b of bounds) {
      const derivation = table(b.gpuModel, b.product);
      if (derivation) prices[`${b.gpuModel}/${b.product}`] = derivation.price;
    }
    let pending = 0;
    let capacity = 0;
    for (const m of state.figures.models.values()) {
      pending += m.pendingInternal;
      capacity += m.capacity;
    }
    return { queuePressure: capacity === 0 ? 0 : pending / capacity, prices };
  }
}
