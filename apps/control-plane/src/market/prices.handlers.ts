/**
 * AdminService's price calls: PutPriceBounds, ListPriceBounds (ADR 10). Admin keys only.
 *
 * - PutPriceBounds. Reads: the market view (for the current price). Writes: the model's and
 *   product's price_bounds row. INVALID_ARGUMENT naming each bad field (`bounds.gpu_model` not
 *   in the catalog, `bounds.product` unset, an amount <= 0 or over $100, not min <= base <=
 *   max). Emits: the bounds as stored with the price they give now.
 * - ListPriceBounds. Reads: every price_bounds row and the market view. Writes: nothing. Emits:
 *   every model's and product's bounds (catalog order) with the price now (for interruptible,
 *   the floor a bid must reach).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { ControlPlaneConfig } from '@gantry/config';
import { checkPriceBounds, type Clock, type PriceBounds } from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import { demandOn, priceOf, type MarketFigures } from '@gantry/scheduling';
import type { PriceBoundsRepository } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { CLOCK, CONFIG, PRICE_BOUNDS } from '../infrastructure/tokens';
import { boundsFromProto, toProtoBounds } from './market.mapper';
import { MarketView, priceWeights } from './market-view';

@Injectable()
export class PricesHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(PRICE_BOUNDS) private readonly prices: PriceBoundsRepository,
    private readonly market: MarketView,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.AdminServiceServer, 'putPriceBounds' | 'listPriceBounds'> {
    const admin = async <T>(metadata: Metadata, work: () => Promise<T>): Promise<T> => {
      await this.auth.admin(metadata);
      return work();
    };
    return {
      putPriceBounds: unary(
        'PutPriceBounds',
        (req: pb.PutPriceBoundsRequest, call) =>
          admin(call.metadata, async () => {
            const bounds = checkPriceBounds(boundsFromProto(req.bounds));
            const stored = await this.prices.put(bounds, this.clock.now());
            const { figures } = await this.market.current();
            return { bounds: this.withPrice(stored, figures) };
          }),
        observer,
      ),
      listPriceBounds: unary(
        'ListPriceBounds',
        (_req: pb.ListPriceBoundsRequest, call) =>
          admin(call.metadata, async () => {
            const [list, { figures }] = await Promise.all([
              this.prices.list(),
              this.market.current(),
            ]);
            return { bounds: list.map((b) => this.withPrice(b, figures)) };
          }),
        observer,
      ),
    };
  }

  private withPrice(bounds: PriceBounds, figures: MarketFigures): pb.PriceBounds {
    const demand = demandOn(figures, bounds.gpuModel);
    return toProtoBounds(bounds, priceOf(bounds, demand, priceWeights(this.config)).price);
  }
}
