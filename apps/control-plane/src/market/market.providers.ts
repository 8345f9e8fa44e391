/** The market's Nest providers (ADR 10). */
import type { Provider } from '@nestjs/common';
import { defaultPriceBounds, type Clock } from '@gantry/domain';
import type { Logger } from '@gantry/observability';
import { KyselyPriceBoundsRepository, type Database } from '@gantry/store';
import { CLOCK, DATABASE, LOGGER, PRICE_BOUNDS } from '../infrastructure/tokens';
import { LeaseAdminHandlers } from './lease-admin.handlers';
import { LeasesHandlers } from './leases.handlers';
import { MarketView } from './market-view';
import { OffersHandlers } from './offers.handlers';
import { PricesHandlers } from './prices.handlers';
import { RentalServiceHandlers } from './rental.service';
import { RentersHandlers } from './renters.handlers';
import { UsageHandlers } from './usage.handlers';

export const marketProviders: Provider[] = [
  {
    // The price bounds, with the documented defaults set for every catalog model that has none.
    provide: PRICE_BOUNDS,
    inject: [DATABASE, CLOCK, LOGGER],
    useFactory: async (database: Database, clock: Clock, logger: Logger) => {
      const prices = new KyselyPriceBoundsRepository(database);
      const seeded = await prices.seedDefaults(defaultPriceBounds(), clock.now());
      if (seeded > 0) logger.info({ seeded }, 'default price bounds set');
      return prices;
    },
  },
  MarketView,
  RentersHandlers,
  PricesHandlers,
  LeaseAdminHandlers,
  LeasesHandlers,
  OffersHandlers,
  UsageHandlers,
  RentalServiceHandlers,
];
