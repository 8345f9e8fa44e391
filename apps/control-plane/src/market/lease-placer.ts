/**
 * The lease placer (ADR 10), a step of the leader's loop: a renter's jobs run on their lease's
 * GPUs and never go through the policy. For each active lease, its pending jobs (oldest first,
 * dependencies met) go first-fit on the lease's nodes and the GPUs of the lease that its running
 * jobs do not hold; a job that does not fit waits (WaitingForLeaseCapacity). The placements are
 * committed in the leader's fenced transaction and dispatched like the scheduler's.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Clock, LeaseRecord } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { DispatchQueue } from '@gantry/queue';
import type { FenceToken, JobRepository, LeaseRepository, Placement, Waiting } from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { CLOCK, DISPATCH_QUEUE, JOBS, LEASES, LOGGER } from '../infrastructure/tokens';
import { LeaseJobs } from './lease-jobs';

export const WAITING_FOR_LEASE = 'WaitingForLease';
export const WAITING_FOR_LEASE_CAPACITY = 'WaitingForLeaseCapacity';

/** A node of a lease and the GPU indices the lease holds there. */
export interface LeaseNode {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly gpuIndices: readonly number[];
}

/**
 * Where each job goes (pure): first fit, in order, on the lease's free GPUs; a multi-node job
 * needs that many distinct lease nodes with enough free GPUs each.
 */
export function placeInLease(
  nodes: readonly LeaseNode[],
  held: readonly { readonly nodeId: string; readonly gpuIndices: readonly number[] }[],
  jobs: readonly { readonly id: string; readonly gpus: number; readonly nodes: number }[],
): { placed: Placement[]; waiting: string[] } {
  const free = new Map(
    nodes.map((n) => {
      const taken = new Set(held.filter((h) => h.nodeId === n.nodeId).flatMap((h) => h.gpuIndices));
      return [n.nodeId, n.gpuIndices.filter((g) => !taken.has(g))];
    }),
  );
  const placed: Placement[] = [];
  const waiting: string[] = [];
  for (const job of jobs) {
    const fits = nodes
      .filter((n) => (free.get(n.nodeId)?.length ?? 0) >= job.gpus)
      .slice(0, job.nodes);
    if (fits.length < job.nodes) {
      waiting.push(job.id);
      continue;
    }
    placed.push({
      jobId: job.id,
      allocations: fits.map((n) => {
        const gpus = free.get(n.nodeId)!;
        free.set(n.nodeId, gpus.slice(job.gpus));
        return { nodeId: n.nodeId, nodeName: n.nodeName, gpuIndices: gpus.slice(0, job.gpus) };
      }),
      protectedForSeconds: 0,
    });
  }
  return { placed, waiting };
}

@Injectable()
export class LeasePlacer {
  constructor(
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leaseJobs: LeaseJobs,
    private readonly effects: JobEffects,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(fence: FenceToken): Promise<number> {
    let placed = 0;
    for (const lease of await this.leases.live(500)) placed += await this.place(fence, lease);
    return placed;
  }

  private async place(fence: FenceToken, lease: LeaseRecord): Promise<number> {
    const { pending, held } = await this.leases.jobs(lease.id);
    if (pending.length === 0) return 0;
    const now = this.clock.now();
    if (lease.state !== 'active' || !lease.jobId) {
      const why =
        lease.state === 'notice'
          ? `lease ${lease.id} is being reclaimed; no new jobs start in it`
          : `lease ${lease.id} is ${lease.state}; jobs start once it is active`;
      await this.wait(
        fence,
        pending.map((j) => ({ jobId: j.id, reason: WAITING_FOR_LEASE, message: why })),
        now,
      );
      return 0;
    }
    const holder = await this.leaseJobs.get(lease.jobId);
    const nodes = holder.attempts
      .filter((a) => a.number === holder.attempt)
      .map((a) => ({ nodeId: a.nodeId, nodeName: a.nodeName, gpuIndices: a.gpuIndices }));
    const { placed, waiting } = placeInLease(nodes, held, pending);
    const result = await this.jobs.commitCycle(
      fence,
      {
        placements: placed,
        waiting: waiting.map((jobId) => ({
          jobId,
          reason: WAITING_FOR_LEASE_CAPACITY,
          message: `lease ${lease.id} has not enough free GPUs for it; it starts when its other jobs end`,
        })),
        preemptions: [],
        nominations: [],
        dependencyFailures: [],
      },
      now,
    );
    for (const attempt of result.placed)
      for (const task of attempt.tasks)
        await this.dispatch.enqueue({
          kind: 'run',
          jobId: attempt.jobId,
          attempt: attempt.attempt,
          rank: task.rank,
          nodeId: task.nodeId,
        });
    await this.effects.changed(result.changed);
    if (result.placed.length > 0)
      this.logger.info(
        { leaseId: lease.id, placed: result.placed.map((p) => p.jobId), waiting: waiting.length },
        'renter jobs placed in their lease',
      );
    return result.placed.length;
  }

  private async wait(fence: FenceToken, waiting: Waiting[], now: number): Promise<void> {
    const result = await this.jobs.commitCycle(
      fence,
      { placements: [], waiting, preemptions: [], nominations: [], dependencyFailures: [] },
      now,
    );
    await this.effects.changed(result.changed);
  }
}
