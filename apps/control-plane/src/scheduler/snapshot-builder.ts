/**
 * Builds the policy's snapshot from the records: nodes with their GPUs and warm engines, the
 * active attempts as running jobs (expected ends from learned runtime estimates, checkpoints,
 * protection, whether they are stopping), the pending jobs whose dependencies are met (with the
 * engine each runs on, for engine affinity), the queue tree, the priority classes and the
 * fair-share usage decayed to now. Aging (ADR 13): a job waits since its submit time plus the
 * time its earlier attempts ran (`ranSeconds`, from the store's attempts). A job, the node list
 * and the class list that did not change since the last build are the same objects as then
 * (kept-objects.ts), so that the policy reuses what it worked out from them.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import type { AttemptRecord, JobRecord, JobSpec } from '@gantry/domain';
import {
  engineModelKey,
  type ClusterSnapshot,
  type PendingJob,
  type RunningJob,
  type SnapshotEngine,
  type SnapshotNode,
} from '@gantry/scheduling';
import type {
  ActiveAttempt,
  NodeRecord,
  PriorityClassRecord,
  QueueRecord,
  UsageRecord,
  WarmEngineRecord,
} from '@gantry/store';
import { CONFIG } from '../infrastructure/tokens';
import { KeptList, KeptObjects, samePending, sameRunning } from './kept-objects';
import { RuntimeEstimates } from './runtime-estimates.service';

export interface SnapshotInput {
  readonly now: number;
  readonly nodes: readonly NodeRecord[];
  readonly active: readonly ActiveAttempt[];
  readonly pending: readonly JobRecord[];
  readonly queues: readonly QueueRecord[];
  readonly classes: readonly PriorityClassRecord[];
  readonly usage: readonly UsageRecord[];
  /**
   * Seconds the ended attempts of a job ran (JobRepository.earlierRunSeconds), for the jobs that
   * had one: pending jobs placed before, running jobs on a later attempt. Absent: none did.
   */
  readonly ranSeconds?: ReadonlyMap<string, number>;
}

/** The jobs whose earlier run time aging needs: pending ones placed before, restarted ones. */
export function jobsThatRanBefore(
  pending: readonly JobRecord[],
  active: readonly ActiveAttempt[],
): string[] {
  const ids = new Set<string>();
  for (const job of pending) if (job.attempt > 0) ids.add(job.id);
  for (const { job } of active) if (job.attempt > 1) ids.add(job.id);
  return [...ids];
}

/** Stored usage decayed to `now` and summed per queue and model. */
export function decayedUsage(
  records: readonly UsageRecord[],
  now: number,
  halfLifeSeconds: number,
): Map<string, Record<string, number>> {
  const usage = new Map<string, Record<string, number>>();
  for (const record of records) {
    const factor = Math.pow(2, -Math.max(0, now - record.asOf) / 1000 / halfLifeSeconds);
    const byModel = usage.get(record.queue) ?? {};
    byModel[record.model] = (byModel[record.model] ?? 0) + record.gpuSeconds * factor;
    usage.set(record.queue, byModel);
  }
  return usage;
}

/** The engine a job runs on (`shard`, `inference_reasoning`: ADR 9) as a model key; else null. */
export function engineOf(spec: JobSpec): string | null {
  const { workload } = spec;
  return workload.kind === 'shard' || workload.kind === 'inference_reasoning'
    ? engineModelKey(workload.model, workload.revision)
    : null;
}

function toSnapshotEngine(engine: WarmEngineRecord): SnapshotEngine {
  return {
    modelKey: engineModelKey(engine.model, engine.revision),
    gpuIndices: engine.gpuIndices,
    busy: engine.busy,
  };
}

/** Active tasks by job (the store lists them in job then rank order). */
function groupByJob(
  active: readonly ActiveAttempt[],
): { job: JobRecord; tasks: AttemptRecord[] }[] {
  const groups = new Map<string, { job: JobRecord; tasks: AttemptRecord[] }>();
  for (const { job, attempt } of active) {
    const group = groups.get(job.id) ?? { job, tasks: [] };
    group.tasks.push(attempt);
    groups.set(job.id, group);
  }
  return [...groups.values()];
}

@Injectable()
export class SnapshotBuilder {
  /** The last snapshot's objects, kept where nothing changed (kept-objects.ts). */
  private readonly keptNodes = new KeptList<SnapshotNode>();
  private readonly keptClasses = new KeptList<ClusterSnapshot['classes'][number]>();
  private readonly keptRunning = new KeptObjects(sameRunning);
  private readonly keptPending = new KeptObjects(samePending);

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    private readonly estimates: RuntimeEstimates,
  ) {}

  build(input: SnapshotInput): ClusterSnapshot {
    const waitingSince = (job: JobRecord): number =>
      job.submittedAt + (input.ranSeconds?.get(job.id) ?? 0) * 1000;
    const nodes = this.keptNodes.keep(
      input.nodes.map((n) => ({
        id: n.id,
        name: n.name,
        labels: n.labels,
        schedulable: n.state === 'ready',
        gpus: n.inventory.gpus.map((g) => ({ index: g.index, model: g.model })),
        warmEngines: (n.inventory.warmEngines ?? []).map(toSnapshotEngine),
      })),
    );
    const modelOf = new Map(
      input.nodes.map((n) => [n.id, new Map(n.inventory.gpus.map((g) => [g.index, g.model]))]),
    );
    // A multi-node job is one running job holding the GPUs of every rank still active. A
    // renter's job runs on its lease's GPUs, which the lease job holds already (ADR 10).
    const holding = input.active.filter((a) => a.job.spec.leaseId === undefined);
    const running = this.keptRunning.keep(
      groupByJob(holding).map(({ job, tasks }): RunningJob => {
        const first = tasks[0]!;
        const startedAt = Math.min(...tasks.map((t) => t.startedAt ?? t.createdAt));
        return {
          id: job.id,
          queue: job.spec.queue,
          tenant: job.tenantId,
          priorityClass: job.spec.priorityClass,
          priority: job.spec.priority,
          shape: {
            nodes: tasks.length,
            gpusPerNode: job.spec.resources.gpus,
            gpuModel: job.spec.resources.gpuModel,
          },
          allocations: tasks.map((t) => ({ nodeId: t.nodeId, gpuIndices: t.gpuIndices })),
          gpuModel:
            modelOf.get(first.nodeId)?.get(first.gpuIndices[0] ?? -1) ??
            job.spec.resources.gpuModel ??
            '',
          startedAt,
          expectedEndAt: this.estimates.expectedEnd(job.tenantId, job.spec, startedAt, input.now),
          lastCheckpointAt: job.lastCheckpointAt,
          protectedUntil: job.protectedUntil,
          stopping: tasks.some((t) => t.stopReason !== '') || job.state === 'cancelling',
          preemptions: job.preemptions,
          waitingSince: waitingSince(job),
        };
      }),
    );
    const pending = this.keptPending.keep(
      input.pending.map((job): PendingJob => ({
        id: job.id,
        queue: job.spec.queue,
        tenant: job.tenantId,
        priorityClass: job.spec.priorityClass,
        priority: job.spec.priority,
        submittedAt: job.submittedAt,
        waitingSince: waitingSince(job),
        shape: {
          nodes: job.spec.resources.nodes,
          gpusPerNode: job.spec.resources.gpus,
          gpuModel: job.spec.resources.gpuModel,
        },
        estimatedRuntimeSeconds: this.estimates.estimate(job.tenantId, job.spec),
        nominatedNodeIds: job.nominatedNodeIds,
        engineModelKey: engineOf(job.spec),
      })),
    );
    return {
      now: input.now,
      nodes,
      running,
      pending,
      queues: input.queues.map((q) => ({ ...q })),
      classes: this.keptClasses.keep(input.classes.map((c) => ({ ...c }))),
      usage: decayedUsage(input.usage, input.now, this.config.fairShareHalfLifeSeconds),
      config: {
        fabricLabel: this.config.fabricLabel,
        fairShareHalfLifeSeconds: this.config.fairShareHalfLifeSeconds,
        maxReservations: this.config.maxReservations,
        maxConsidered: this.config.schedulerBatchSize,
        maxPreemptionsPerCycle: this.config.maxPreemptionsPerCycle,
        maxPreemptionsPerJob: this.config.maxPreemptionsPerJob,
        preemptAfterWaitSeconds: this.config.preemptAfterWaitSeconds,
        starvationAgeSeconds: this.config.starvationAgeSeconds,
        opportunisticBelowPriority: this.config.opportunisticBelowPriority,
        backfill: this.config.backfill,
        preemption: this.config.preemption,
      },
    };
  }
}
