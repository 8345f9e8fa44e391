/**
 * The jobs of a lease (ADR 10): the lease job that holds its GPUs (workload `lease`, submitted
 * idempotently under the renter's tenant), and the renter's jobs in it, stopped when it ends.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  bidPriority,
  isTerminal,
  LEASE_CLASS,
  LEASE_QUEUE,
  Reason,
  type Clock,
  type JobSpec,
  type LeaseRecord,
} from '@gantry/domain';
import type { DispatchQueue } from '@gantry/queue';
import type { JobRepository, JobView, LeaseRepository, StopOrder } from '@gantry/store';
import { changedOf, JobEffects } from '../effects/job-effects.service';
import { CLOCK, CONFIG, DISPATCH_QUEUE, JOBS, LEASES } from '../infrastructure/tokens';

export const ADMIN_SCOPE = { tenantId: '', admin: true };

/**
 * The lease job's spec: its product's queue and class; an interruptible lease's bid orders it
 * (its priority, in cents: a higher bid outbids it, ADR 12).
 */
export function leaseJobSpec(lease: LeaseRecord): JobSpec {
  return {
    name: `lease-${lease.id}`,
    queue: LEASE_QUEUE[lease.product],
    priority: lease.product === 'interruptible' ? bidPriority(lease.pricePerGpuHour) : 100,
    priorityClass: LEASE_CLASS[lease.product],
    dependencies: [],
    resources: { gpus: lease.gpus, gpuModel: lease.gpuModel, nodes: lease.nodes },
    labels: { 'gantry.io/lease': lease.id },
    timeLimitSeconds: null,
    workload: { kind: 'lease', leaseId: lease.id },
  };
}

@Injectable()
export class LeaseJobs {
  constructor(
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly effects: JobEffects,
  ) {}

  /** Submits the lease job (idempotent: keyed by the lease) and records it on the lease. */
  async submit(lease: LeaseRecord): Promise<string> {
    const { job, created } = await this.jobs.submit({
      tenantId: lease.tenantId,
      spec: leaseJobSpec(lease),
      idempotencyKey: `lease/${lease.id}`,
      now: this.clock.now(),
    });
    await this.leases.setJob(lease.id, job.id);
    if (created) await this.effects.changed([changedOf(job)]);
    return job.id;
  }

  async get(jobId: string): Promise<JobView> {
    return this.jobs.get(ADMIN_SCOPE, jobId);
  }

  /**
   * When the policy told the job's current attempt to stop (its `notice` entry, written with the
   * decision, before any agent heard of it); null when it has not.
   */
  async preemptedAt(job: JobView): Promise<number | null> {
    let from = 0;
    let at: number | null = null;
    for (;;) {
      const page = await this.jobs.events(ADMIN_SCOPE, job.id, from, 500);
      for (const event of page)
        if (event.type === 'notice' && event.attempt === job.attempt) at = event.time;
      if (page.length < 500) return at;
      from = page[page.length - 1]!.sequence + 1;
    }
  }

  /**
   * Stops the renter's jobs in the lease (SIGTERM, SIGKILL after GANTRY_RENTER_KILL_GRACE_SECONDS)
   * and the lease job; each ends cancelled with `why`.
   */
  async stopAll(lease: LeaseRecord, why: string): Promise<void> {
    const { live } = await this.leases.jobs(lease.id);
    for (const jobId of live) await this.cancel(jobId, why, this.config.renterKillGraceSeconds);
    if (lease.jobId) {
      const job = await this.jobs.get(ADMIN_SCOPE, lease.jobId);
      if (!isTerminal(job.state))
        await this.cancel(lease.jobId, why, this.config.cancelGraceSeconds);
    }
  }

  private async cancel(jobId: string, why: string, graceSeconds: number): Promise<void> {
    const { job, stops } = await this.jobs.cancel(ADMIN_SCOPE, jobId, why, this.clock.now());
    await this.sendStops(stops, graceSeconds);
    await this.effects.changed([changedOf(job)]);
  }

  private async sendStops(stops: readonly StopOrder[], graceSeconds: number): Promise<void> {
    for (const stop of stops)
      await this.dispatch
        .enqueue({ kind: 'stop', ...stop, graceSeconds, reason: Reason.Cancelled })
        .catch(() => undefined); // the reconciler resends stop orders of cancelling jobs
  }
}
