/** The market's Nest providers (ADR 10). */
import type { Provider } from '@nestjs/common';
import { LeaseAdminHandlers } from './lease-admin.handlers';
import { LeasesHandlers } from './leases.handlers';
import { OffersHandlers } from './offers.handlers';
import { PricesHandlers } from './prices.handlers';
import { RentalServiceHandlers } from './rental.service';
import { RentersHandlers } from './renters.handlers';
import { UsageHandlers } from './usage.handlers';

export const marketProviders: Provider[] = [
  RentersHandlers,
  PricesHandlers,
  LeaseAdminHandlers,
  LeasesHandlers,
  OffersHandlers,
  UsageHandlers,
  RentalServiceHandlers,
];
