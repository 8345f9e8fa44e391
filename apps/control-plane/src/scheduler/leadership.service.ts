/**
 * Scheduler leadership through the Redis lease (one leader among replicas; a fencing token per
 * term). Wraps the LeaderElector from @gantry/queue for Nest's lifecycle.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { type Logger } from '@gantry/observability';
import { LeaderElector, systemTimers, type LeaderLease } from '@gantry/queue';
import { systemClock } from '@gantry/domain';
import { CONFIG, LEADER_LEASE, LOGGER } from '../infrastructure/tokens';

export interface LeadershipCallbacks {
  elected(token: number): void;
  demoted(reason: string): void;
}

@Injectable()
export class Leadership {
  private elector?: LeaderElector;

  constructor(
    @Inject(LEADER_LEASE) private readonly lease: LeaderLease,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start(callbacks: LeadershipCallbacks): void {
    const ttlMs = Math.round(this.config.leaderLeaseSeconds * 1000);
    this.elector = new LeaderElector({
      lease: this.lease,
      ttlMs,
      retryMs: Math.max(100, Math.round(ttlMs / 5)),
      logger: this.logger,
      clock: systemClock,
      timers: systemTimers,
      onElected: (token) => callbacks.elected(token),
      onDemoted: (reason) => callbacks.demoted(reason),
    });
    this.elector.start();
  }

  /** Gives the lease up (after being fenced out) and keeps competing for it. */
  async resign(token: number): Promise<void> {
    await this.lease.release(token).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.elector?.stop();
  }
}
