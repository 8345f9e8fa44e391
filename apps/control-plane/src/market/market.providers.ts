/** The market's Nest providers (ADR 10): its repositories and its handlers. */
import type { Provider } from '@nestjs/common';
import { defaultPriceBounds, type Clock } from '@gantry/domain';
import type { Logger } from '@gantry/observability';
import {
  KyselyLedgerRepository,
  KyselyPriceBoundsRepository,
  KyselyRenterRepository,
  type Database,
} from '@gantry/store';
import {
  CLOCK,
  DATABASE,
  LEDGER,
  LOGGER,
  MARKET_FIGURES,
  PRICE_BOUNDS,
  QUOTER,
  RENTERS,
} from '../infrastructure/tokens';
import { LeaseAccess } from './lease-access';
import { LeaseAdminHandlers } from './lease-admin.handlers';
import { LeaseBilling } from './lease-billing';
import { LeaseController } from './lease-controller';
import { LeaseJobs } from './lease-jobs';
import { LeasePlacer } from './lease-placer';
import { LeasePurchase } from './lease-purchase';
import { MarketSampler } from './market-sampler';
import { MarketSetup } from './market-setup';
import { MarketSteps } from './market-steps';
import { LeasesHandlers } from './leases.handlers';
import { MarketQuoter } from './market-quoter';
import { MarketView, RESERVED_WINDOWS } from './market-view';
import { OffersHandlers } from './offers.handlers';
import { PricesHandlers } from './prices.handlers';
import { RentalServiceHandlers } from './rental.service';
import { RentersHandlers } from './renters.handlers';
import { SoldWindows } from './sold-windows';
import { UsageHandlers } from './usage.handlers';

export const marketProviders: Provider[] = [
  {
    provide: RENTERS,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyRenterRepository(database),
  },
  {
    provide: LEDGER,
    inject: [DATABASE],
    useFactory: (database: Database) => new KyselyLedgerRepository(database),
  },
  MarketSetup,
  LeaseJobs,
  LeaseBilling,
  LeaseController,
  LeasePlacer,
  MarketSampler,
  MarketSteps,
  LeaseAccess,
  LeasePurchase,
  MarketQuoter,
  { provide: QUOTER, useExisting: MarketQuoter },
  { provide: MARKET_FIGURES, useExisting: MarketQuoter },
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
  SoldWindows,
  { provide: RESERVED_WINDOWS, useExisting: SoldWindows },
  MarketView,
  RentersHandlers,
  PricesHandlers,
  LeaseAdminHandlers,
  LeasesHandlers,
  OffersHandlers,
  UsageHandlers,
  RentalServiceHandlers,
];
