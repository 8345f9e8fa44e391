/**
 * Restores what Redis lost (PostgreSQL is the truth). Run by the leader:
 *   - every pending job is in the pending index (ZADD NX: present entries are untouched);
 *   - every task placed but not yet confirmed by its agent has a run order queued;
 *   - every task of a job being cancelled, told to stop for a preemption, or a rank of a
 *     multi-node job told to stop because another rank failed, has a stop order queued (a lost
 *     order would leave it running and the job it yields to waiting).
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { type Logger } from '@gantry/observability';
import type { DispatchQueue, PendingIndex } from '@gantry/queue';
import type { JobRepository, PolicyRepository } from '@gantry/store';
import { Reason } from '@gantry/domain';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import {
  CONFIG,
  DISPATCH_QUEUE,
  JOBS,
  LOGGER,
  PENDING_INDEX,
  POLICY,
} from '../infrastructure/tokens';

const PAGE = 1000;

@Injectable()
export class Reconciler {
  constructor(
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(PENDING_INDEX) private readonly pending: PendingIndex,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  async run(): Promise<{ pending: number; runs: number; stops: number }> {
    let pending = 0;
    for (let after = ''; ;) {
      const entries = await this.jobs.pendingEntries(after, PAGE);
      if (entries.length === 0) break;
      pending += await this.pending.add(
        entries.map((e) => ({ jobId: e.id, priority: e.priority, submittedAt: e.submittedAt })),
      );
      after = entries[entries.length - 1]!.id;
      if (entries.length < PAGE) break;
    }
    let runs = 0;
    for (const work of await this.jobs.dispatchingWork()) {
      if (await this.dispatch.has('run', work.jobId, work.attempt, work.rank)) continue;
      if (
        await this.dispatch.enqueue({
          kind: 'run',
          jobId: work.jobId,
          attempt: work.attempt,
          rank: work.rank,
          nodeId: work.nodeId,
        })
      )
        runs++;
    }
    let stops = 0;
    const graceOf = new Map(
      (await this.policy.listClasses()).map((c) => [c.name, c.gracePeriodSeconds]),
    );
    const orders = [
      ...(await this.jobs.cancellingAttempts()).map((o) => ({
        ...o,
        graceSeconds: this.config.cancelGraceSeconds,
        reason: Reason.Cancelled,
      })),
      ...(await this.jobs.preemptingAttempts()).map(({ priorityClass, ...o }) => ({
        ...o,
        graceSeconds: graceOf.get(priorityClass) ?? this.config.cancelGraceSeconds,
        reason: Reason.Preempted,
      })),
      ...(await this.jobs.gangStoppedAttempts()).map((o) => ({
        ...o,
        graceSeconds: this.config.cancelGraceSeconds,
        reason: Reason.GangStopped,
      })),
    ];
    for (const order of orders) {
      if (await this.dispatch.has('stop', order.jobId, order.attempt, order.rank)) continue;
      if (await this.dispatch.enqueue({ kind: 'stop', ...order })) stops++;
    }
    if (pending + runs + stops > 0) {
      this.metrics.reenqueued.inc({ kind: 'pending' }, pending);
      this.metrics.reenqueued.inc({ kind: 'run' }, runs);
      this.metrics.reenqueued.inc({ kind: 'stop' }, stops);
      this.logger.info({ pending, runs, stops }, 'reconciler restored entries missing from Redis');
    }
    return { pending, runs, stops };
  }
}
