/**
 * One scheduling cycle, run by the leader. Steps, each timed and logged:
 *   1. take the heads of the pending index (Redis)
 *   2. load them (PostgreSQL): drop index entries of jobs no longer pending; hold back jobs
 *      whose dependencies are not met (or end those whose dependencies never will be)
 *   3. snapshot the cluster: nodes, active attempts, queues, classes, fair-share usage, and
 *      the earlier run time of jobs that ran before (aging: ADR 13)
 *   4. decide with the policy: index, nominate, order, admit and place, preempt, reserve
 *   5. commit placements, preemptions, nominations and reasons in one fenced transaction
 *   6. dispatch run orders, and stop orders (SIGTERM, grace, SIGKILL) to preempted jobs
 *   7. requeue the rest: placed and ended jobs leave the pending index, the others stay
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  dependencyVerdict,
  Reason,
  type Clock,
  type JobRecord,
  type JobState,
} from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { DispatchQueue, PendingIndex } from '@gantry/queue';
import { gantryPolicy, type CycleProbe, type Waiting } from '@gantry/scheduling';
import type {
  DependencyFailure,
  FenceToken,
  JobRepository,
  NodeRepository,
  PolicyRepository,
} from '@gantry/store';
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
  POLICY,
} from '../infrastructure/tokens';
import { jobsThatRanBefore, SnapshotBuilder } from './snapshot-builder';
import { UsageAccountant } from './usage-accountant';

export interface CycleResult {
  readonly considered: number;
  readonly placed: number;
  readonly waiting: number;
  readonly preempted: number;
}

@Injectable()
export class SchedulingCycle {
  constructor(
    @Inject(PENDING_INDEX) private readonly pending: PendingIndex,
    @Inject(DISPATCH_QUEUE) private readonly dispatch: DispatchQueue,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly snapshots: SnapshotBuilder,
    private readonly usage: UsageAccountant,
    private readonly effects: JobEffects,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  async run(fence: FenceToken): Promise<CycleResult> {
    const steps: Record<string, number> = {};
    const timed = <T>(name: string, work: () => T): T => {
      const started = process.hrtime.bigint();
      try {
        return work();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        steps[name] = (steps[name] ?? 0) + Math.round(seconds * 1e6) / 1e3;
        this.metrics.cycleDuration.observe({ step: name }, seconds);
      }
    };
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = process.hrtime.bigint();
      try {
        return await work();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        steps[name] = Math.round(seconds * 1e6) / 1e3;
        this.metrics.cycleDuration.observe({ step: name }, seconds);
      }
    };

    // 1. take the heads
    const [heads, size] = await step('1-take-heads', () =>
      Promise.all([this.pending.heads(this.config.schedulerBatchSize), this.pending.size()]),
    );
    this.metrics.pendingJobs.set(size);
    if (heads.length === 0) {
      // Nothing to place, but what runs still uses GPUs: keep fair-share usage current.
      const now = this.clock.now();
      if (this.usage.isDue(now)) await step('3b-usage', async () => this.accrueIdle(fence, now));
      return { considered: 0, placed: 0, waiting: 0, preempted: 0 };
    }

    // 2. load, and check dependencies
    const { loaded, ready, held, failures } = await step('2-load', () => this.load(heads));

    // 3. snapshot
    const now = this.clock.now();
    const { snapshot, queues, active } = await step('3-snapshot', async () => {
      const [nodes, activeAttempts, queueList, classes, usage] = await Promise.all([
        this.nodes.list(),
        this.jobs.activeAttempts(),
        this.policy.listQueues(),
        this.policy.listClasses(),
        this.policy.usage(),
      ]);
      // Aging: what earlier attempts ran does not count as waiting (one read, only for jobs
      // that ran before).
      const ranBefore = jobsThatRanBefore(ready, activeAttempts);
      const ranSeconds =
        ranBefore.length > 0 ? await this.jobs.earlierRunSeconds(ranBefore) : undefined;
      const built = this.snapshots.build({
        now,
        nodes,
        active: activeAttempts,
        pending: ready,
        queues: queueList,
        classes,
        usage,
        ranSeconds,
      });
      return { snapshot: built, queues: queueList, active: activeAttempts };
    });
    await step('3b-usage', () => this.usage.accrue(fence, snapshot, queues));

    // 4. decide (the policy's own steps are timed through the probe)
    const probe: CycleProbe = { step: (name, work) => timed(`4-${name}`, work) };
    const decision = gantryPolicy.decide(snapshot, probe);

    // 5. commit
    const byId = new Map(loaded.map((j) => [j.id, j]));
    const classes = new Map(snapshot.classes.map((c) => [c.name, c]));
    const attemptOf = new Map(active.map((a) => [a.job.id, a.attempt.number]));
    const write = {
      placements: decision.placements.map((p) => {
        const cls = classes.get(byId.get(p.jobId)?.spec.priorityClass ?? '');
        return {
          jobId: p.jobId,
          allocations: p.allocations.map(({ nodeId, nodeName, gpuIndices }) => ({
            nodeId,
            nodeName,
            gpuIndices,
          })),
          protectedForSeconds: cls?.minRuntimeSeconds ?? 0,
        };
      }),
      waiting: changedReasons(byId, [...decision.waiting, ...held]),
      preemptions: decision.preemptions.flatMap((p) => {
        const attempt = attemptOf.get(p.jobId);
        return attempt === undefined ? [] : [{ jobId: p.jobId, attempt, message: p.message }];
      }),
      nominations: decision.nominations,
      dependencyFailures: failures,
    };
    const result = await step('5-commit', () => this.jobs.commitCycle(fence, write, now));

    // 6. dispatch
    await step('6-dispatch', async () => {
      // One run order per task: every node of a multi-node job gets its own.
      for (const attempt of result.placed) {
        for (const task of attempt.tasks) {
          await this.dispatch.enqueue({
            kind: 'run',
            jobId: attempt.jobId,
            attempt: attempt.attempt,
            rank: task.rank,
            nodeId: task.nodeId,
          });
        }
      }
      for (const stop of result.preempted) {
        const preemption = decision.preemptions.find((p) => p.jobId === stop.jobId);
        await this.dispatch.enqueue({
          kind: 'stop',
          ...stop,
          graceSeconds: preemption?.gracePeriodSeconds ?? this.config.cancelGraceSeconds,
          reason: Reason.Preempted,
        });
      }
    });

    // 7. requeue the rest
    await step('7-requeue', async () => {
      // Placed jobs leave the index; so do jobs waiting for a dependency to end (the reconciler
      // puts them back once it has), so they take no place among the heads meanwhile.
      await this.pending.remove([
        ...result.placed.map((p) => p.jobId),
        ...held.map((h) => h.jobId),
      ]);
      await this.effects.changed(result.changed);
      await this.effects.wake(
        [...result.placed.map((p) => p.jobId), ...result.preempted.map((p) => p.jobId)],
        false,
      );
    });

    this.metrics.placements.inc(result.placed.length);
    const summary = {
      considered: ready.length,
      placed: result.placed.length,
      waiting: decision.waiting.length + held.length,
      preempted: result.preempted.length,
    };
    if (summary.placed + summary.preempted > 0 || this.logger.isLevelEnabled('debug')) {
      this.logger.info(
        { ...summary, reservations: decision.reservations.length, stepsMs: steps },
        'scheduling cycle',
      );
    }
    return summary;
  }

  private async accrueIdle(fence: FenceToken, now: number): Promise<boolean> {
    const [nodes, active, queues, classes] = await Promise.all([
      this.nodes.list(),
      this.jobs.activeAttempts(),
      this.policy.listQueues(),
      this.policy.listClasses(),
    ]);
    const snapshot = this.snapshots.build({
      now,
      nodes,
      active,
      pending: [],
      queues,
      classes,
      usage: [],
    });
    return this.usage.accrue(fence, snapshot, queues);
  }

  /** Pending jobs in the index, split by whether their dependencies allow them to run. */
  private async load(heads: readonly string[]): Promise<{
    loaded: JobRecord[];
    ready: JobRecord[];
    held: Waiting[];
    failures: DependencyFailure[];
  }> {
    const loaded = await this.jobs.loadPending(heads);
    const stale = heads.filter((id) => !loaded.some((j) => j.id === id));
    if (stale.length > 0) await this.pending.remove(stale);
    const dependsOn = [...new Set(loaded.flatMap((j) => j.spec.dependencies.map((d) => d.jobId)))];
    const states: Map<string, JobState> =
      dependsOn.length > 0 ? await this.jobs.jobStates(dependsOn) : new Map<string, JobState>();
    const ready: JobRecord[] = [];
    const held: Waiting[] = [];
    const failures: DependencyFailure[] = [];
    for (const job of loaded) {
      const verdict = dependencyVerdict(job.spec.dependencies, states);
      if (verdict.kind === 'ready') ready.push(job);
      else if (verdict.kind === 'waiting')
        held.push({
          jobId: job.id,
          reason: Reason.WaitingForDependencies,
          message: verdict.message,
        });
      else failures.push({ jobId: job.id, message: verdict.message });
    }
    return { loaded, ready, held, failures };
  }
}

/** Only reasons that changed are written, so an idle queue costs no writes. */
function changedReasons(
  records: ReadonlyMap<string, JobRecord>,
  waiting: readonly Waiting[],
): Waiting[] {
  return waiting.filter((w) => {
    const job = records.get(w.jobId);
    return job === undefined || job.reason !== w.reason || job.message !== w.message;
  });
}
