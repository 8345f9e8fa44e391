/** RentalService (ADR 10): the renters' API, assembled from its parts. */
import { Injectable } from '@nestjs/common';
import type { CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import { LeasesHandlers } from './leases.handlers';
import { OffersHandlers } from './offers.handlers';
import { UsageHandlers } from './usage.handlers';

@Injectable()
export class RentalServiceHandlers {
  constructor(
    private readonly leases: LeasesHandlers,
    private readonly offers: OffersHandlers,
    private readonly usage: UsageHandlers,
  ) {}

  implementation(observer: CallObserver): pb.RentalServiceServer {
    return {
      ...this.leases.implementation(observer),
      ...this.offers.implementation(observer),
      ...this.usage.implementation(observer),
    };
  }
}
