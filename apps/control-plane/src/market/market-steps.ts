/**
 * The market's part of the leader's loop (ADR 10), each iteration: the lease controller (lease
 * lives, charges, credits, the market's guarantee), then the lease placer (renter jobs onto
 * their leases' GPUs, fenced), then a market sample every GANTRY_MARKET_SAMPLE_INTERVAL_SECONDS.
 */
import { Injectable } from '@nestjs/common';
import type { FenceToken } from '@gantry/store';
import { LeaseController } from './lease-controller';
import { LeasePlacer } from './lease-placer';
import { MarketSampler } from './market-sampler';

@Injectable()
export class MarketSteps {
  constructor(
    private readonly leases: LeaseController,
    private readonly placer: LeasePlacer,
    private readonly sampler: MarketSampler,
  ) {}

  async run(fence: FenceToken): Promise<void> {
    await this.leases.run();
    await this.placer.run(fence);
    await this.sampler.maybeSample();
  }
}
