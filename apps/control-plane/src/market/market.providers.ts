/** The market's Nest providers (ADR 10): its repositories and its handlers. */
import type { Provider } from '@nestjs/common';
import { KyselyLedgerRepository, KyselyRenterRepository, type Database } from '@gantry/store';
import { DATABASE, LEDGER, RENTERS } from '../infrastructure/tokens';
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
import { OffersHandlers } from './offers.handlers';
import { PricesHandlers } from './prices.handlers';
import { RentalServiceHandlers } from './rental.service';
import { RentersHandlers } from './renters.handlers';
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
  RentersHandlers,
  PricesHandlers,
  LeaseAdminHandlers,
  LeasesHandlers,
  OffersHandlers,
  UsageHandlers,
  RentalServiceHandlers,
];
