/**
 * One scheduling cycle, run by the leader. Steps, each timed and logged:
 *   1. take the heads of the pending index (Redis)
 *   2. load them from PostgreSQL; drop index entries of jobs no longer pending
 *   3. snapshot the nodes and the GPUs active attempts hold
 *   4. decide placements (pure policy, @gantry/scheduling)
 *   5. commit placements and waiting reasons in one fenced transaction
 *   6. dispatch: enqueue run orders, drop placed jobs from the index, wake watchers
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import type { Clock, JobRecord } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { DispatchQueue, PendingIndex } from '@gantry/queue';
import { buildSnapshot, decideFirstFit, type WaitingDecision } from '@gantry/scheduling';
import type { FenceToken, JobRepository, NodeRepository } from '@gantry/store';
import { JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import {
  CLOCK,
  CONFIG,
  DISPATCH_QUEUE,
  JOBS,
  LOGGER,
  NODES,
  PENDING_INDEX,
} from '../infrastructure/tokens';

export interface CycleResult {
  readonly considered: number;
  readonly placed: number;
  readonly waiting: number;
}

@Injectable()
export class SchedulingCycle {
  constructor(
    @Inject(PENDING_INDEX) private readonly pending: PendingIndex,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  async run(fence: FenceToken): Promise<CycleResult> {
    const steps: Record<string, number> = {};
    const step = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
      const started = process.hrtime.bigint();
      try {
        return await work();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        steps[name] = Math.round(seconds * 1e6) / 1e3;
        this.metrics.cycleDuration.observe({ step: name }, seconds);
      }
    };

    const [heads, size] = await step('1-take-heads', () =>
      Promise.all([this.pending.heads(this.config.schedulerBatchSize), this.pending.size()]),
    );
    this.metrics.pendingJobs.set(size);
    if (heads.length === 0) return { considered: 0, placed: 0, waiting: 0 };

    const records = await step('2-load', async () => {
      const loaded = await this.jobs.loadPending(heads);
      const stale = heads.filter((id) => !loaded.some((j) => j.id === id));
      if (stale.length > 0) await this.pending.remove(stale);
      return loaded;
    });

    const now = this.clock.now();
    const snapshot = await step('3-snapshot', async () => {
      const [nodes, allocations] = await Promise.all([
        this.nodes.list(),
        this.jobs.activeAllocations(),
      ]);
      return buildSnapshot(
        now,
        nodes.map((n) => ({
          id: n.id,
          name: n.name,
          schedulable: n.state === 'ready',
          gpus: n.inventory.gpus.map((g) => ({ index: g.index, model: g.model })),
        })),
        allocations,
        records.map((j) => ({
          id: j.id,
          priority: j.spec.priority,
          submittedAt: j.submittedAt,
          gpus: j.spec.resources.gpus,
          gpuModel: j.spec.resources.gpuModel,
        })),
      );
    });

    const decision = await step('4-decide', () => decideFirstFit(snapshot));

    const placed = await step('5-commit', () =>
      this.jobs.commitCycle(
        fence,
        decision.placements,
        changedReasons(records, decision.waiting),
        now,
      ),
    );

    await step('6-dispatch', async () => {
      for (const attempt of placed) {
        await this.dispatch.enqueue({
          kind: 'run',
          jobId: attempt.jobId,
          attempt: attempt.attempt,
          nodeId: attempt.nodeId,
        });
      }
      await this.pending.remove(placed.map((p) => p.jobId));
      await this.effects.wake(
        placed.map((p) => p.jobId),
        false,
      );
    });

    this.metrics.placements.inc(placed.length);
    const result = {
      considered: records.length,
      placed: placed.length,
      waiting: decision.waiting.length,
    };
    if (placed.length > 0 || this.logger.isLevelEnabled('debug')) {
      this.logger.info({ ...result, stepsMs: steps }, 'scheduling cycle');
    }
    return result;
  }
}

/** Only reasons that changed are written, so an idle queue costs no writes. */
function changedReasons(
  records: readonly JobRecord[],
  waiting: readonly WaitingDecision[],
): WaitingDecision[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return waiting.filter((w) => {
    const job = byId.get(w.jobId);
    return job !== undefined && (job.reason !== w.reason || job.message !== w.message);
  });
}
