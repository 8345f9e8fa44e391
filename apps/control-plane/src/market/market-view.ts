/**
 * The market as the scheduler sees it (ADR 10): the cluster snapshot the scheduling cycle
 * builds (the same SnapshotBuilder over the same records: nodes, active attempts, the heads of
 * the pending index, queues, classes) and the market figures computed from it. Every replica
 * answers RentalService, not only the leader, so each builds its own view, at most once per
 * `MARKET_VIEW_TTL_MS`: offers and quotes within that second share one snapshot, and callers
 * arriving while one is being built wait for it rather than build another.
 *
 * Reads: nodes, active attempts, pending jobs, queues, classes (PostgreSQL); the pending index
 * (Redis); reserved windows already sold (when a source is connected). Writes: nothing.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ControlPlaneConfig } from '@gantry/config';
import type { Clock } from '@gantry/domain';
import type { PendingIndex } from '@gantry/queue';
import {
  marketFigures,
  type ClusterSnapshot,
  type MarketFigures,
  type PriceWeights,
  type ReservedWindow,
} from '@gantry/scheduling';
import type { JobRepository, NodeRepository, PolicyRepository } from '@gantry/store';
import { CLOCK, CONFIG, JOBS, NODES, PENDING_INDEX, POLICY } from '../infrastructure/tokens';
import { SnapshotBuilder } from '../scheduler/snapshot-builder';

/** How long one view of the market is reused. */
export const MARKET_VIEW_TTL_MS = 1000;

/** Reserved leases sold whose window has not started (their GPUs are promised then). */
export interface ReservedWindowSource {
  reservedWindows(now: number): Promise<readonly ReservedWindow[]>;
}

/** Injection token of the ReservedWindowSource (the lease store connects it; optional). */
export const RESERVED_WINDOWS = Symbol('ReservedWindowSource');

/** One view of the market. */
export interface MarketState {
  /** When it was built (epoch ms, the control plane's clock). */
  readonly at: number;
  readonly snapshot: ClusterSnapshot;
  readonly figures: MarketFigures;
  readonly reservedWindows: readonly ReservedWindow[];
}

/** The price weights of the configuration. */
export function priceWeights(config: ControlPlaneConfig): PriceWeights {
  return { pressure: config.pricePressureWeight, utilization: config.priceUtilizationWeight };
}

@Injectable()
export class MarketView {
  private cached: MarketState | undefined;
  private building: Promise<MarketState> | undefined;

  constructor(
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(PENDING_INDEX) private readonly pending: PendingIndex,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly snapshots: SnapshotBuilder,
    @Optional() @Inject(RESERVED_WINDOWS) private readonly windows?: ReservedWindowSource,
  ) {}

  /** The market now: a view at most MARKET_VIEW_TTL_MS old. */
  async current(): Promise<MarketState> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < MARKET_VIEW_TTL_MS) return this.cached;
    if (!this.building) {
      this.building = this.build(now).finally(() => (this.building = undefined));
    }
    const state = await this.building;
    this.cached = state;
    return state;
  }

  private async build(now: number): Promise<MarketState> {
    const [nodes, active, queues, classes, heads, reservedWindows] = await Promise.all([
      this.nodes.list(),
      this.jobs.activeAttempts(),
      this.policy.listQueues(),
      this.policy.listClasses(),
      this.pending.heads(this.config.schedulerBatchSize),
      this.windows?.reservedWindows(now) ?? Promise.resolve([]),
    ]);
    const pending = heads.length > 0 ? await this.jobs.loadPending(heads) : [];
    // Fair-share usage only orders jobs; the market does not need it.
    const snapshot = this.snapshots.build({
      now,
      nodes,
      active,
      pending,
      queues,
      classes,
      usage: [],
    });
    return { at: now, snapshot, figures: marketFigures(snapshot), reservedWindows };
  }
}
