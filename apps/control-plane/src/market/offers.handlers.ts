/**
 * RentalService's ListOffers and Quote (ADR 10). A renter's key is required (UNAUTHENTICATED
 * without a valid key, PERMISSION_DENIED for an internal tenant: AuthService.renter).
 *
 * - ListOffers. Reads: the market view (the scheduler's snapshot, at most a second old) and the
 *   price bounds. Writes: nothing. INVALID_ARGUMENT for a `gpu_model` not in the catalog or an
 *   unknown `product`. Emits: per product, GPU model and fabric domain, the GPUs for sale, the
 *   most on one node, how long they are forecast to last and the price (interruptible: the
 *   floor), only the model and product asked for when given.
 * - Quote. Reads: the market view and the model's bounds for the product. Writes: nothing.
 *   INVALID_ARGUMENT naming the field for a bad LeaseRequest (domain validateLeaseRequest) and
 *   for an interruptible bid under the floor (the message says the floor). Emits: the price per
 *   GPU-hour (interruptible: the bid, as leases pay as bid), the total (price x GPUs x nodes x
 *   hours, to the micro-dollar), how the market price was derived, and whether the capacity is
 *   there now.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { ControlPlaneConfig } from '@gantry/config';
import {
  checkBid,
  findGpuModel,
  gpuModelIds,
  leaseTotal,
  ValidationError,
  type Clock,
  type LeaseProduct,
} from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import { LeaseProduct as PbLeaseProduct } from '@gantry/proto';
import type * as pb from '@gantry/proto';
import { availability, formatPrice, offersFrom, priceTable } from '@gantry/scheduling';
import type { PriceBoundsRepository, TenantIdentity } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { CLOCK, CONFIG, PRICE_BOUNDS } from '../infrastructure/tokens';
import { productFromProto, toProtoDerivation, toProtoOffer } from './market.mapper';
import { MarketQuoter } from './market-quoter';
import { MarketView, priceWeights } from './market-view';

@Injectable()
export class OffersHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(PRICE_BOUNDS) private readonly prices: PriceBoundsRepository,
    private readonly market: MarketView,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly quoter: MarketQuoter,
  ) {}

  /** Who is calling, as a renter. */
  assertRenter(metadata: Metadata): Promise<TenantIdentity> {
    return this.auth.renter(metadata);
  }

  implementation(observer: CallObserver): Pick<pb.RentalServiceServer, 'listOffers' | 'quote'> {
    return {
      listOffers: unary(
        'ListOffers',
        async (req: pb.ListOffersRequest, call) => {
          await this.assertRenter(call.metadata);
          return this.listOffers(req);
        },
        observer,
      ),
      quote: unary(
        'Quote',
        async (req: pb.QuoteRequest, call) => {
          await this.assertRenter(call.metadata);
          return this.quote(req);
        },
        observer,
      ),
    };
  }

  private async listOffers(req: pb.ListOffersRequest): Promise<pb.ListOffersResponse> {
    const model = req.gpuModel === '' ? null : findGpuModel(req.gpuModel)?.id;
    if (model === undefined)
      throw ValidationError.field(
        'gpu_model',
        `must be empty (every model) or one of ${gpuModelIds().join(', ')}`,
      );
    const product = productFilter(req.product);
    const [state, bounds] = await Promise.all([this.market.current(), this.prices.list()]);
    const prices = priceTable(bounds, state.figures, priceWeights(this.config));
    const offers = offersFrom(state.figures, prices, this.clock.now(), {
      horizonSeconds: this.config.offerHorizonSeconds,
      reservedWindows: state.reservedWindows,
    });
    return {
      offers: offers
        .filter(
          (o) =>
            (model === null || o.gpuModel === model) && (product === null || o.product === product),
        )
        .map(toProtoOffer),
    };
  }

  private async quote(req: pb.QuoteRequest): Promise<pb.QuoteResponse> {
    const request = this.quoter.validate(req.lease, this.clock.now());
    const [state, derivation] = await Promise.all([
      this.market.current(),
      this.quoter.derive(request),
    ]);
    checkBid(request, derivation.price);
    const price = request.bidPerGpuHour ?? derivation.price;
    const total = leaseTotal(request, price);
    const capacity = availability(state.figures, request, state.reservedWindows);
    const priced =
      request.product === 'interruptible'
        ? `pays its bid, ${formatPrice(price)} per GPU-hour (the floor now is ${formatPrice(derivation.price)})`
        : `costs ${formatPrice(price)} per GPU-hour`;
    const hours = Math.round((request.durationSeconds / 3600) * 1000) / 1000;
    return {
      priceMicrosPerGpuHour: price,
      totalMicros: total,
      derivation: toProtoDerivation(derivation),
      available: capacity.available,
      outbids: capacity.outbids ?? false,
      message:
        `${request.product} ${priced}; ${request.gpus * request.nodes} GPUs for ${hours} h: ` +
        `${formatPrice(total)} in all. ${capacity.message.charAt(0).toUpperCase()}${capacity.message.slice(1)}`,
    };
  }
}

/** The product a ListOffers call asks for; null for every product. */
function productFilter(product: PbLeaseProduct): LeaseProduct | null {
  if (product === PbLeaseProduct.LEASE_PRODUCT_UNSPECIFIED) return null;
  const known = productFromProto(product);
  if (known === null)
    throw ValidationError.field(
      'product',
      'must be LEASE_PRODUCT_UNSPECIFIED (every product), LEASE_PRODUCT_ON_DEMAND, LEASE_PRODUCT_INTERRUPTIBLE or LEASE_PRODUCT_RESERVED',
    );
  return known;
}
