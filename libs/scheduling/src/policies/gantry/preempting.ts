/**
 * Preempting for a job that does not fit now: whether priority preemption is warranted (a job of
 * a preemptible class preempts only if it would otherwise wait long), a victim search per model
 * it is admitted on, and what the decision records: the preemptions, a nomination holding the
 * nodes for the job, and the job's reason. A search that found nothing is not repeated in a cycle.
 * Opportunistic victims (classes below `opportunisticBelowPriority`: interruptible leases) need
 * no warrant: a job of a higher class takes their GPUs at once, after their grace period.
 * Within an opportunistic class a job outbids (ADR 12): it preempts jobs of its own class with a
 * strictly lower job priority (bid), lowest first, with no warrant either.
 * Aging (ADR 13): while some running job started after starving, searches first leave such jobs
 * out (they are victims only as a last resort); and a starving job that can start no other way
 * preempts jobs that waited less than it has (starvation preemption), once warranted: its
 * earliest slot is more than `preemptAfterWaitSeconds` away, or it has starved that long.
 */
import { OUTBID_CAUSE, Reason } from '@gantry/domain';
import {
  DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY,
  totalGpus,
  waitingSinceOf,
  type Nomination,
  type PendingJob,
  type PolicyConfig,
  type Preemption,
  type PriorityClass,
  type Waiting,
} from '../../model';
import { inHowLong, listNames } from './messages';
import type { NodeState } from './node-state';
import type { VictimFinder, VictimPlan } from './preemption';
import type { QuotaTracker } from './quota';
import type { ReservationBook } from './reservations';
import { ShapeTable } from './shape-table';
import type { SlotFinder } from './slots';

// Read once: the domain barrel's getters would cost a call per job.
const { Preempting } = Reason;

export class PreemptStep {
  readonly preemptions: Preemption[] = [];
  readonly nominations: Nomination[] = [];
  /** Preemption searches that found no plan this cycle. */
  private readonly fruitless = new Set<string>();
  /** Outbid searches that found no plan this cycle: the highest bid that failed, per shape. */
  private readonly fruitlessBids = new Map<string, number>();
  /** The earliest start of each job shape, as first computed this cycle. */
  private readonly starts = new ShapeTable<number>();

  constructor(
    private readonly config: PolicyConfig,
    private readonly now: number,
    private readonly classOf: (job: { priorityClass: string }) => PriorityClass,
    private readonly victims: VictimFinder,
    private readonly quota: QuotaTracker,
    private readonly book: ReservationBook,
    private readonly slots: SlotFinder,
    /** The cycle's waiting jobs, which a job preempted for joins. */
    private readonly waiting: Waiting[],
    /** Whether some running job started after starving (searches then spare them first). */
    private readonly lastResorts = false,
  ) {}

  /** Whether this cycle may still preempt: neither its preemptions nor its search budget spent. */
  mayPreempt(): boolean {
    return this.preemptions.length < this.config.maxPreemptionsPerCycle && !this.victims.exhausted;
  }

  /**
   * Priority preemption costs the victims work, so a job of a preemptible class uses it only when
   * it could otherwise not start for a long time; a job of a non-preemptible class (serving) at once.
   */
  warranted(job: PendingJob, cls: PriorityClass, models: readonly string[]): boolean {
    if (!cls.preemptible) return true;
    if (!this.victims.hasVictimBelow(cls.priority)) return false;
    let soonest = Number.POSITIVE_INFINITY;
    for (const m of models) soonest = Math.min(soonest, this.soonestStart(job, m));
    return soonest - this.now > this.config.preemptAfterWaitSeconds * 1000;
  }

  /**
   * When a job of this shape could start at the earliest, as first computed this cycle (later
   * placements and holds only push it back, so the answer errs towards not preempting).
   */
  private soonestStart(job: PendingJob, model: string): number {
    const { nodes, gpusPerNode } = job.shape;
    return (
      this.starts.get(model, nodes, gpusPerNode) ??
      this.starts.set(
        model,
        nodes,
        gpusPerNode,
        this.slots.earliestSlot(model, nodes, gpusPerNode)?.at ?? Number.POSITIVE_INFINITY,
      )
    );
  }

  /**
   * Preempts opportunistic jobs only (classes below `opportunisticBelowPriority`, and below the
   * job's), with no warrant: what a job that may not preempt anything else yet still may do.
   */
  preemptOpportunistic(job: PendingJob, cls: PriorityClass, admitted: readonly string[]): boolean {
    const ceiling = this.config.opportunisticBelowPriority ?? DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY;
    if (!this.victims.hasVictimBelow(Math.min(ceiling, cls.priority))) return false;
    return this.preemptFor(job, cls, admitted, true, ceiling);
  }

  /**
   * Outbids (ADR 12): for a job of an opportunistic class, preempts jobs of its own class with a
   * strictly lower job priority (an interruptible lease's bid), lowest bid first, on the first
   * model it is admitted on that a plan is found for; the victims get their class's grace (the
   * lease's notice). Never an equal or a higher bid, so two jobs cannot take each other's GPUs
   * in turn: each outbid raises the lowest bid holding them.
   */
  preemptOutbid(job: PendingJob, cls: PriorityClass, admitted: readonly string[]): boolean {
    const ceiling = this.config.opportunisticBelowPriority ?? DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY;
    if (cls.priority >= ceiling) return false;
    // A job preempted for waits on its nodes (a plan without victims) while they stop.
    const held = (job.nominatedNodeIds?.length ?? 0) > 0;
    if (!held && !this.victims.hasBidBelow(job.priorityClass, job.priority)) return false;
    const { nodes, gpusPerNode } = job.shape;
    for (const model of admitted) {
      // A search that found nothing finds nothing later in the cycle, nor for a lower bid
      // (except on nodes held for the job itself: a job preempted for always looks).
      const key = `outbid|${model}|${nodes}|${gpusPerNode}|${job.queue}|${job.priorityClass}`;
      const failedAt = this.fruitlessBids.get(key);
      if (!held && failedAt !== undefined && job.priority <= failedAt) continue;
      const usable = this.usableFor(job, model);
      const plan = this.victims.findOutbid(job, model, usable);
      if (!plan) {
        if (!held)
          this.fruitlessBids.set(key, Math.max(failedAt ?? Number.NEGATIVE_INFINITY, job.priority));
        continue;
      }
      this.commit(job, model, plan);
      return true;
    }
    return false;
  }

  /**
   * Preempts for the job on the first model it is admitted on that a plan is found for. With a
   * `ceiling`, only for priority and only victims of classes below it (no reclaim).
   */
  preemptFor(
    job: PendingJob,
    cls: PriorityClass,
    admitted: readonly string[],
    forPriority: boolean,
    ceiling?: number,
  ): boolean {
    const tier = Math.min(this.classOf(job).priority, ceiling ?? Number.POSITIVE_INFINITY);
    const gpus = totalGpus(job.shape);
    for (const model of admitted) {
      // Asked again rather than kept per job: quota has not changed since the job was admitted.
      const verdict = this.quota.evaluate(job.queue, model, gpus, cls.preemptible);
      const borrowing = (verdict.ok && verdict.borrowing) || ceiling !== undefined;
      if (borrowing && !forPriority) continue; // neither reclaim nor priority applies
      // A search that found nothing finds nothing later in the cycle either (only fewer GPUs
      // and victims remain), so identical searches are skipped.
      const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}|${tier}|${borrowing ? '' : job.queue}|${forPriority}`;
      if (this.fruitless.has(key) || (borrowing && !this.victims.hasVictimBelow(tier))) continue;
      const usable = this.usableFor(job, model);
      // Jobs that started after starving are victims only when no plan without them exists.
      const plan =
        (this.lastResorts &&
          this.victims.find(job, model, !borrowing, forPriority, usable, ceiling, {
            spareStarved: true,
          })) ||
        this.victims.find(job, model, !borrowing, forPriority, usable, ceiling);
      if (!plan) {
        this.fruitless.add(key);
        continue;
      }
      this.commit(job, model, plan);
      return true;
    }
    return false;
  }

  /** Nodes a victim search for `job` may use: those no reservation of another job keeps. */
  private usableFor(job: PendingJob, model: string): (state: NodeState) => boolean {
    return (state) =>
      this.book.allows(state, model, job.shape.gpusPerNode, Number.POSITIVE_INFINITY, job.id);
  }

  /**
   * Whether a starving job may preempt for starvation: its earliest slot is more than
   * `preemptAfterWaitSeconds` away (as for priority), or it has been starving that long already
   * (its slots kept moving: estimates were short), so its wait stays bounded (ADR 13).
   */
  starvationWarranted(job: PendingJob, models: readonly string[]): boolean {
    const { starvationAgeSeconds, preemptAfterWaitSeconds } = this.config;
    const waited = this.now - waitingSinceOf(job);
    if (waited >= (starvationAgeSeconds + preemptAfterWaitSeconds) * 1000) return true;
    let soonest = Number.POSITIVE_INFINITY;
    for (const m of models) soonest = Math.min(soonest, this.soonestStart(job, m));
    return soonest - this.now > preemptAfterWaitSeconds * 1000;
  }

  /**
   * Starvation preemption for a starving job: on the first model it is admitted on, the plan
   * losing least among jobs of any preemptible class that waited less than it has, past their
   * minimum runtime, of its own queue or of a queue above its guarantee.
   */
  preemptStarving(job: PendingJob, admitted: readonly string[]): boolean {
    const since = waitingSinceOf(job);
    for (const model of admitted) {
      // Victims that waited less are those that did not start starving: the same for every
      // starving job of the queue, so a fruitless search is not repeated for one of them.
      const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}|${job.queue}|starving`;
      if (this.fruitless.has(key)) continue;
      const usable = this.usableFor(job, model);
      const plan = this.victims.find(job, model, false, true, usable, Number.POSITIVE_INFINITY, {
        starvingSince: since,
      });
      if (!plan) {
        this.fruitless.add(key);
        continue;
      }
      this.commit(job, model, plan);
      return true;
    }
    return false;
  }

  /**
   * Preempts opportunistic jobs on one node for a job that goes there (SettledFit chose it:
   * where it packs as if they were not there); false when they would not free enough.
   */
  preemptOn(job: PendingJob, cls: PriorityClass, model: string, state: NodeState): boolean {
    if (!this.mayPreempt()) return false;
    const ceiling = Math.min(
      cls.priority,
      this.config.opportunisticBelowPriority ?? DEFAULT_OPPORTUNISTIC_BELOW_PRIORITY,
    );
    const plan = this.victims.findOn(job, model, state, ceiling);
    if (!plan) return false;
    this.commit(job, model, plan);
    return true;
  }

  /** Records a plan: its victims' preemptions, the nodes held for the job, the job's reason. */
  private commit(job: PendingJob, model: string, plan: VictimPlan): void {
    const names = plan.nodes.map((s) => s.node.name);
    this.book.hold(job.id, model, job.shape.gpusPerNode, { at: this.now, nodes: plan.nodes });
    this.nominations.push({ jobId: job.id, nodeIds: plan.nodes.map((s) => s.node.id) });
    if (plan.victims.length === 0) {
      this.waiting.push({
        jobId: job.id,
        reason: Preempting,
        message: `waiting for jobs already stopping on ${listNames(names)}`,
      });
      return;
    }
    for (const victim of plan.victims) {
      this.victims.markPreempted(victim.job);
      const grace = this.classOf(victim.job).gracePeriodSeconds;
      const why =
        victim.cause === 'Reclaim'
          ? `queue ${job.queue} reclaims its guaranteed GPUs`
          : victim.outbid
            ? `${OUTBID_CAUSE} (priority ${job.priority} over ${victim.job.priority} in class ${job.priorityClass})`
            : victim.cause === 'Starvation'
              ? `it has waited ${inHowLong(waitingSinceOf(job), this.now)}, past the starvation age and longer than this job`
              : `a ${job.priorityClass} job needs its GPUs`;
      this.preemptions.push({
        jobId: victim.job.id,
        forJobId: job.id,
        cause: victim.cause,
        gracePeriodSeconds: grace,
        message: `preempted for ${job.id}: ${why}`,
      });
    }
    const grace = Math.max(...plan.victims.map((v) => this.classOf(v.job).gracePeriodSeconds));
    const ids = plan.victims.map((v) => v.job.id);
    const starving = plan.victims.some((v) => v.cause === 'Starvation')
      ? `starving (waited ${inHowLong(waitingSinceOf(job), this.now)}): `
      : '';
    this.waiting.push({
      jobId: job.id,
      reason: Preempting,
      message: `${starving}preempting ${listNames(ids)} on ${listNames(names)}; starts when they stop (within ${grace}s)`,
    });
  }
}
