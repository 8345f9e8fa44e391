/**
 * The lease controller (ADR 10), a step of the leader's loop. For every lease that has not
 * ended, one idempotent step:
 *   pending: submit its lease job (a reserved lease at its window's start); start the lease when
 *     the job runs (its holder started on the node);
 *   active: the policy reclaimed it (its job preempted) -> notice; its job stopped otherwise (a
 *     node lost, an agent gone) -> ended failed, credited; past its end -> expired; else charge the
 *     whole minutes delivered (a renter who cannot pay: ended unfunded);
 *   notice: at the notice's end -> its renter jobs and its job are stopped, ended reclaimed; a
 *     fault before then -> ended reclaimed with the notice's shortfall credited.
 * Ending stops the renter's jobs and the lease job, posts the last charge and any credit owed.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  endLease,
  isTerminal,
  noticeCause,
  noticeLease,
  renterReclaimCause,
  startLease,
  type Clock,
  type LeaseEndReason,
  type LeaseRecord,
} from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { JobView, LeaseRepository, NodeRepository } from '@gantry/store';
import { CLOCK, LEASES, LOGGER, NODES } from '../infrastructure/tokens';
import { LeaseBilling } from './lease-billing';
import { LeaseJobs } from './lease-jobs';
import { MarketSetup } from './market-setup';

/** Leases advanced per run at most. */
const PER_RUN = 500;

@Injectable()
export class LeaseController {
  constructor(
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly jobs: LeaseJobs,
    private readonly billing: LeaseBilling,
    private readonly setup: MarketSetup,
  ) {}

  async run(): Promise<number> {
    const live = await this.leases.live(PER_RUN);
    await this.setup.keepGuarantee(await this.nodes.list(), live);
    for (const lease of live) {
      try {
        await this.advance(lease);
      } catch (error) {
        this.logger.error({ err: error, leaseId: lease.id }, 'could not advance a lease; retrying');
      }
    }
    return live.length;
  }

  private async advance(lease: LeaseRecord): Promise<void> {
    const now = this.clock.now();
    if (lease.state === 'pending') return this.pending(lease, now);
    const job = lease.jobId ? await this.jobs.get(lease.jobId) : null;
    if (lease.state === 'active') return this.active(lease, job, now);
    return this.notice(lease, job, now);
  }

  private async pending(lease: LeaseRecord, now: number): Promise<void> {
    if (lease.windowStartsAt !== null && now >= lease.expiresAt)
      return this.end(lease, 'expired', 'its window passed before its GPUs were free', now, 0);
    if (!lease.jobId) {
      if (lease.windowStartsAt !== null && now < lease.windowStartsAt) return;
      await this.jobs.submit(lease);
      return;
    }
    const job = await this.jobs.get(lease.jobId);
    if (job.state === 'running') {
      const where = runningNodes(job).join(', ');
      await this.leases.update(
        lease.id,
        (l) => (l.state === 'pending' ? startLease(l, now, where) : null),
        now,
      );
      this.logger.info({ leaseId: lease.id, nodes: where }, 'lease started');
    } else if (isTerminal(job.state)) {
      await this.end(lease, 'failed', `its GPUs could not be held: ${job.message}`, now, 0);
    }
  }

  private async active(lease: LeaseRecord, job: JobView | null, now: number): Promise<void> {
    if (!job || !isRunning(job)) {
      const why = job ? `its GPUs were lost: ${job.message}` : 'its GPUs were lost';
      return this.end(lease, 'failed', why, now, 0);
    }
    if (preempted(job)) {
      // The notice runs from the policy's decision: the agent starts counting it later (once
      // told), so the renter never gets less than promised.
      const from = Math.min(now, (await this.jobs.preemptedAt(job)) ?? now);
      await this.leases.update(
        lease.id,
        (l) =>
          l.state === 'active'
            ? noticeLease(l, from, l.noticeSeconds, renterReclaimCause(job.message))
            : null,
        from, // the notice entry's time
      );
      this.logger.info({ leaseId: lease.id, why: job.message }, 'lease reclaimed: notice given');
      return;
    }
    if (now >= lease.expiresAt) return this.end(lease, 'expired', 'its time ran out', now, 0);
    if (!(await this.billing.charge(lease, now)))
      return this.end(lease, 'unfunded', 'the balance cannot pay for more time', now, 0);
  }

  private async notice(lease: LeaseRecord, job: JobView | null, now: number): Promise<void> {
    const endsAt = lease.noticeEndsAt ?? now;
    if (now >= endsAt) {
      const cause = noticeCause(lease); // internal work, a higher bid (ADR 12) or an admin
      const why = cause === '' ? 'the notice ran out' : `the notice ran out (${cause})`;
      return this.end(lease, 'reclaimed', why, now, lease.noticeSeconds);
    }
    if (!job || !isRunning(job)) {
      const given = Math.floor((now - (endsAt - lease.noticeSeconds * 1000)) / 1000);
      return this.end(lease, 'reclaimed', 'its GPUs were lost during the notice', now, given);
    }
    await this.billing.charge(lease, now);
  }

  /** Ends a lease: stops its jobs, posts the last charge and any credit owed. */
  private async end(
    lease: LeaseRecord,
    reason: LeaseEndReason,
    message: string,
    now: number,
    givenNoticeSeconds: number,
  ): Promise<void> {
    const ended = await this.leases.update(lease.id, (l) => endLease(l, now, reason, message), now);
    await this.jobs.stopAll(ended, `lease ${lease.id} ${reason}: ${message}`);
    await this.billing.charge(ended, now);
    const faulted =
      reason === 'failed' || (reason === 'reclaimed' && givenNoticeSeconds < lease.noticeSeconds);
    if (faulted && lease.startedAt !== null)
      await this.billing.credit(ended, now, givenNoticeSeconds);
    this.logger.info({ leaseId: lease.id, reason, message }, 'lease ended');
  }
}

function isRunning(job: JobView): boolean {
  return job.state === 'running' || job.state === 'scheduled';
}

/** Whether the policy told the lease job's current attempt to stop (a reclaim). */
function preempted(job: JobView): boolean {
  return job.attempts.some((a) => a.number === job.attempt && a.stopReason === 'Preempted');
}

function runningNodes(job: JobView): string[] {
  return job.attempts.filter((a) => a.number === job.attempt).map((a) => a.nodeName);
}
