import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { isTerminal, Reason, type JobRecord } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { DispatchQueue, PendingIndex, Signals } from '@gantry/queue';
import type { ChangedJob } from '@gantry/store';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CONFIG, DISPATCH_QUEUE, LOGGER, PENDING_INDEX, SIGNALS } from '../infrastructure/tokens';

/**
 * What follows a committed job change on the Redis side: pending jobs enter the pending index,
 * others leave it, the ranks of a multi-node job that the change told to stop get their stop
 * orders, watchers and the scheduler are woken. All best effort: PostgreSQL already holds the
 * truth, and the reconciler restores whatever a Redis failure here leaves out.
 */
/** The part of a job the Redis side needs. */
export function changedOf(job: JobRecord): ChangedJob {
  return {
    id: job.id,
    state: job.state,
    priority: job.spec.priority,
    submittedAt: job.submittedAt,
    ...(job.spec.leaseId !== undefined ? { leased: true } : {}),
  };
}

@Injectable()
export class JobEffects {
  constructor(
    @Inject(PENDING_INDEX) private readonly pending: PendingIndex,
    @Inject(SIGNALS) private readonly signals: Signals,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  async changed(jobs: readonly ChangedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    // A renter's job is placed in its lease by the lease placer, never from the pending index.
    const pending = jobs.filter((j) => j.state === 'pending' && !j.leased);
    const gone = jobs.filter((j) => j.state !== 'pending' || j.leased);
    for (const job of jobs)
      if (isTerminal(job.state)) this.metrics.jobsFinished.inc({ state: job.state });
    await this.bestEffort('update the pending index', async () => {
      if (pending.length > 0) {
        await this.pending.add(
          pending.map((j) => ({ jobId: j.id, priority: j.priority, submittedAt: j.submittedAt })),
        );
      }
      if (gone.length > 0) await this.pending.remove(gone.map((j) => j.id));
    });
    const stops = jobs.flatMap((j) => j.stops ?? []);
    if (stops.length > 0)
      await this.bestEffort('send the stop orders of a stopping gang', async () => {
        for (const stop of stops)
          await this.dispatch.enqueue({
            kind: 'stop',
            ...stop,
            graceSeconds: this.config.cancelGraceSeconds,
            reason: Reason.GangStopped,
          });
      });
    await this.wake(
      jobs.map((j) => j.id),
      jobs.some((j) => j.state === 'pending' || isTerminal(j.state)),
    );
  }

  /** Wakes watchers of these jobs and, if asked, the scheduler. */
  async wake(jobIds: readonly string[], scheduler: boolean): Promise<void> {
    await this.bestEffort('publish wake-ups', async () => {
      await Promise.all([...new Set(jobIds)].map((id) => this.signals.jobChanged(id)));
      if (scheduler) await this.signals.schedulerWanted();
    });
  }

  private async bestEffort(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.logger.warn({ err: error }, `could not ${what}; the reconciler will repair it`);
    }
  }
}
