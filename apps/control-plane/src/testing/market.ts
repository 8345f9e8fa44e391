/**
 * The market's services wired over the in-memory parts: price bounds (seeded with the
 * defaults), the market view over the same snapshot builder the scheduler uses, and the
 * price and offer handlers.
 */
import { defaultPriceBounds } from '@gantry/domain';
import { MarketQuoter } from '../market/market-quoter';
import { MarketView, type ReservedWindowSource } from '../market/market-view';
import { OffersHandlers } from '../market/offers.handlers';
import { PricesHandlers } from '../market/prices.handlers';
import { InMemoryPriceBoundsRepository } from './in-memory-prices';
import type { ControlPlaneParts } from './parts';
import { schedulingParts } from './scheduling';

export async function marketParts(parts: ControlPlaneParts, windows?: ReservedWindowSource) {
  const prices = new InMemoryPriceBoundsRepository();
  await prices.seedDefaults(defaultPriceBounds(), parts.clock.now());
  const { snapshots } = schedulingParts(parts);
  const market = new MarketView(
    parts.nodes,
    parts.jobs,
    parts.policy,
    parts.pending,
    parts.config,
    parts.clock,
    snapshots,
    windows,
  );
  const pricesHandlers = new PricesHandlers(parts.auth, prices, market, parts.config, parts.clock);
  const quoter = new MarketQuoter(market, prices, parts.config);
  const offersHandlers = new OffersHandlers(
    parts.auth,
    prices,
    market,
    parts.config,
    parts.clock,
    quoter,
  );
  return { prices, market, quoter, pricesHandlers, offersHandlers };
}
