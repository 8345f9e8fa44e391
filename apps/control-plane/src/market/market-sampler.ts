/**
 * The market's samples for the admin charts (ADR 10), recorded by the leader every
 * GANTRY_MARKET_SAMPLE_INTERVAL_SECONDS (default a minute): GPUs
 * in all (ready nodes), held by internal work, rented (lease jobs), idle; revenue so far (the sum
 * of the revenue accounts: GetMarketHistory shows it per interval); the internal queue pressure
 * and the prices then (from the market's figures).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ControlPlaneConfig } from '@gantry/config';
import { MARKET_ORG, type Clock, type Micros } from '@gantry/domain';
import type {
  JobRepository,
  LedgerRepository,
  MarketSampleRepository,
  NodeRepository,
} from '@gantry/store';
import {
  CLOCK,
  CONFIG,
  JOBS,
  LEDGER,
  MARKET_FIGURES,
  MARKET_SAMPLES,
  NODES,
} from '../infrastructure/tokens';

/** The market's pressure and prices now; defined here, where it is used. */
export interface MarketFigures {
  current(): Promise<{
    readonly queuePressure: number;
    /** Per `<gpu model>/<product>`: micro-dollars per GPU-hour. */
    readonly prices: Readonly<Record<string, Micros>>;
  }>;
}

@Injectable()
export class MarketSampler {
  private last = 0;

  constructor(
    @Inject(MARKET_SAMPLES) private readonly samples: MarketSampleRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(LEDGER) private readonly ledger: LedgerRepository,
    @Inject(MARKET_FIGURES) private readonly figures: MarketFigures,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG)
    private readonly config: Pick<ControlPlaneConfig, 'marketSampleIntervalSeconds'>,
  ) {}

  /** Records a sample when the interval has passed since the last one (by this leader). */
  async maybeSample(): Promise<void> {
    const now = this.clock.now();
    if (now - this.last < this.config.marketSampleIntervalSeconds * 1000) return;
    this.last = now;
    const nodes = (await this.nodes.list()).filter((n) => n.state === 'ready');
    const total = nodes.reduce((n, node) => n + node.inventory.gpus.length, 0);
    let internal = 0;
    let rented = 0;
    for (const { job, attempt } of await this.jobs.activeAttempts()) {
      if (job.spec.leaseId !== undefined) continue; // on a lease's GPUs: counted as rented
      if (job.spec.workload.kind === 'lease' || job.spec.queue.startsWith(`${MARKET_ORG}-`))
        rented += attempt.gpuIndices.length;
      else internal += attempt.gpuIndices.length;
    }
    const balances = await this.ledger.balances();
    let revenue = 0;
    for (const [account, amount] of balances) if (account.startsWith('revenue:')) revenue += amount;
    const { queuePressure, prices } = await this.figures.current();
    await this.samples.record({
      time: Math.floor(now / 1000) * 1000,
      gpusTotal: total,
      gpusInternal: internal,
      gpusRented: rented,
      gpusIdle: Math.max(0, total - internal - rented),
      revenue,
      queuePressure,
      prices,
    });
  }
}
