/**
 * Runtime estimates for the scheduler (reservations, expected ends): a RuntimeEstimator fed
 * with the runs that finished since it last looked (PostgreSQL), keyed by tenant and job kind
 * (the GPU count bucket). Refreshed by the leader's reconcile step.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import type { JobSpec } from '@gantry/domain';
import { gpuCountKind, remainingEstimate, RuntimeEstimator } from '@gantry/scheduling';
import type { JobRepository } from '@gantry/store';
import { CONFIG, JOBS } from '../infrastructure/tokens';

const PAGE = 5000;

/** Jobs of one tenant and kind are expected to run alike; the kind is the GPU count bucket. */
export function jobKind(spec: Pick<JobSpec, 'resources'>): string {
  return gpuCountKind(spec.resources.gpus * spec.resources.nodes);
}

@Injectable()
export class RuntimeEstimates {
  private estimator: RuntimeEstimator;
  private seenUntil = 0;

  constructor(
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {
    this.estimator = new RuntimeEstimator({ defaultSeconds: config.defaultRuntimeSeconds });
  }

  /** Learns from runs that finished since the last refresh (oldest first, a page at a time). */
  async refresh(): Promise<void> {
    const runs = await this.jobs.finishedRuns(this.seenUntil, PAGE);
    for (const run of runs) {
      this.estimator.record(run.tenantId, gpuCountKind(run.gpus), run.seconds);
      this.seenUntil = Math.max(this.seenUntil, run.endedAt);
    }
  }

  /** Seconds a job is expected to run in all. */
  estimate(tenantId: string, spec: JobSpec): number {
    return this.estimator.estimate(tenantId, jobKind(spec), spec.timeLimitSeconds);
  }

  /** When a job that started at `startedAt` is expected to end, as seen at `now`. */
  expectedEnd(tenantId: string, spec: JobSpec, startedAt: number, now: number): number {
    const done = Math.max(0, (now - startedAt) / 1000);
    return now + remainingEstimate(this.estimate(tenantId, spec), done) * 1000;
  }

  /** Forget what an earlier term learned (a new leader re-reads). */
  reset(): void {
    this.estimator = new RuntimeEstimator({ defaultSeconds: this.config.defaultRuntimeSeconds });
    this.seenUntil = 0;
  }
}
