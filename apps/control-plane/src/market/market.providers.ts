/** The market's Nest providers (ADR 10): its repositories and its handlers. */
import type { Provider } from '@nestjs/common';
import { KyselyLedgerRepository, KyselyRenterRepository, type Database } from '@gantry/store';
import { DATABASE, LEDGER, RENTERS } from '../infrastructure/tokens';
import { LeaseAdminHandlers } from './lease-admin.handlers';
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
  RentersHandlers,
  PricesHandlers,
  LeaseAdminHandlers,
  LeasesHandlers,
  OffersHandlers,
  UsageHandlers,
  RentalServiceHandlers,
];
