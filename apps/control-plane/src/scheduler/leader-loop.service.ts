/**
 * The leader's work, run on one serial loop so its parts never race each other: reconcile Redis
 * with PostgreSQL, check node liveness, move batch and RL jobs on (the workload controller), move
 * leases on and place renter jobs in them (the market), run a scheduling cycle; then sleep until the next
 * interval or a wake-up (a submit, a finished task). Leadership comes from the Redis lease; every
 * write the loop makes carries the lease's fencing token, and a write refused for a stale token
 * ends this replica's term.
 */
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { AbortedError, type Clock } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { Signals } from '@gantry/queue';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CLOCK, CONFIG, LOGGER, SIGNALS } from '../infrastructure/tokens';
import { Leadership } from './leadership.service';
import { NodeLivenessCheck } from './node-liveness-check';
import { Reconciler } from './reconciler';
import { RuntimeEstimates } from './runtime-estimates.service';
import { SchedulingCycle } from './scheduling-cycle';
import { UsageAccountant } from './usage-accountant';
import { MarketSteps } from '../market/market-steps';
import { WorkloadController } from '../workloads/workload-controller';

const MIN_GAP_MS = 20;

@Injectable()
export class LeaderLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private term?: number;
  private wake: () => void = () => undefined;
  private wanted = false;
  private unsubscribe: () => void = () => undefined;
  private loop?: Promise<void>;

  constructor(
    private readonly leadership: Leadership,
    private readonly cycle: SchedulingCycle,
    private readonly reconciler: Reconciler,
    private readonly liveness: NodeLivenessCheck,
    private readonly estimates: RuntimeEstimates,
    private readonly usage: UsageAccountant,
    private readonly workloads: WorkloadController,
    private readonly market: MarketSteps,
    private readonly metrics: ControlPlaneMetrics,
    @Inject(SIGNALS) private readonly signals: Signals,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signals.onSchedulerWanted(() => this.kick());
    this.leadership.start({
      elected: (token) => this.elected(token),
      demoted: (reason) => this.demoted(reason),
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe();
    this.term = undefined;
    this.wake();
    await this.loop;
    await this.leadership.stop();
  }

  kick(): void {
    this.wanted = true;
    this.wake();
  }

  private elected(token: number): void {
    this.logger.info({ fence: token }, 'elected scheduler leader');
    this.metrics.isLeader.set(1);
    this.term = token;
    this.liveness.reset();
    this.estimates.reset();
    this.usage.reset();
    const previous = this.loop ?? Promise.resolve();
    this.loop = previous.then(() => this.run(token));
  }

  private demoted(reason: string): void {
    if (this.term === undefined) return;
    this.logger.warn({ reason }, 'no longer the scheduler leader');
    this.metrics.isLeader.set(0);
    this.term = undefined;
    this.wake();
  }

  private async run(token: number): Promise<void> {
    let lastReconcile = -Infinity;
    let lastLiveness = -Infinity;
    let lastWorkloads = -Infinity;
    while (this.term === token) {
      const kicked = this.wanted;
      this.wanted = false;
      try {
        const now = this.clock.now();
        if (now - lastReconcile >= this.config.reconcileIntervalSeconds * 1000) {
          await this.reconciler.run();
          await this.estimates.refresh();
          lastReconcile = now;
        }
        if (
          now - lastLiveness >=
          Math.min(this.config.heartbeatIntervalSeconds, this.config.nodeLostTimeoutSeconds / 2) *
            1000
        ) {
          await this.liveness.run(token);
          lastLiveness = now;
        }
        if (kicked || now - lastWorkloads >= this.config.workloadIntervalSeconds * 1000) {
          await this.workloads.run();
          lastWorkloads = now;
        }
        await this.market.run(token);
        await this.cycle.run(token);
      } catch (error) {
        if (error instanceof AbortedError) {
          this.logger.warn({ err: error }, 'a newer leader has written; stepping down');
          this.demoted('fenced out by a newer leader');
          await this.leadership.resign(token);
          return;
        }
        this.logger.error({ err: error }, 'leader loop step failed; retrying');
      }
      await this.pause(this.wanted ? MIN_GAP_MS : this.config.schedulerIntervalSeconds * 1000);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = () => undefined;
        resolve();
      };
      timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }
}
