/**
 * Gantry's scheduling policy, one pure cycle over a snapshot:
 *   1. index the cluster: free GPUs per node and model, quota use per queue, fair shares;
 *   2. order the pending jobs (class priority, then fair share, then submit time);
 *   3. hold the nodes of jobs that earlier preemptions were made for (steps 2 and 3 do not
 *      depend on each other: the order's one pass over the pending jobs notes these jobs);
 *   4. for each job in that order: admit it against its queue's quota; place it now if it fits
 *      without delaying a reservation (best fit; gangs all or nothing in one fabric domain);
 *      else preempt for it (higher class, or a queue reclaiming its guarantee) losing the least
 *      work; else reserve the earliest slot it could start in (backfill protects it); else give
 *      it a reason to wait.
 */
import { Reason } from '@gantry/domain';
import {
  DEFAULT_PRIORITY_CLASS,
  totalGpus,
  type ClusterSnapshot,
  type Decision,
  type Nomination,
  type PendingJob,
  type Placement,
  type Preemption,
  type PriorityClass,
  type CycleProbe,
  type Reservation,
  type SchedulingPolicy,
  type Waiting,
} from '../../model';
import { FairShare } from './fair-share';
import { describeShape, inHowLong, listNames } from './messages';
import { NodeIndex } from './node-index';
import { JobOrder } from './ordering';
import { couldEverFit, findNodes, mostFreeTogether } from './placement';
import { VictimFinder } from './preemption';
import { QuotaTracker } from './quota';
import { ReservationBook } from './reservations';
import { SlotFinder } from './slots';

// Read once: the domain barrel's getters would cost a call per waiting job in the hot loop.
const { Preempting, Reserved, Unschedulable, WaitingForGang, WaitingForResources } = Reason;

class Cycle {
  readonly placements: Placement[] = [];
  readonly preemptions: Preemption[] = [];
  readonly nominations: Nomination[] = [];
  readonly waiting: Waiting[] = [];
  readonly reservations: Reservation[] = [];
  private readonly classes: Map<string, PriorityClass>;
  private readonly index: NodeIndex;
  private readonly quota: QuotaTracker;
  private readonly book = new ReservationBook();
  private readonly slots: SlotFinder;
  private readonly victims: VictimFinder;
  private readonly order: JobOrder;
  private readonly now: number;
  /** Preemption searches that found no plan this cycle. */
  private readonly fruitless = new Set<string>();
  /** Answers about whether a shape could ever fit / how many nodes are free together. */
  private readonly fits = new Map<string, boolean>();
  /** The earliest start of each job shape, as first computed this cycle. */
  private readonly starts = new Map<string, number>();
  /** Gang shapes no domain can hold now (free GPUs only shrink during a cycle). */
  private readonly gangMisses = new Set<string>();
  /** For messages: how many nodes of a domain are free enough together, first computed. */
  private readonly together = new Map<string, number>();

  /** Where the job fits now; a gang shape that fit nowhere is not searched again this cycle. */
  private nodesFor(job: PendingJob, model: string, endAt: number): ReturnType<typeof findNodes> {
    const nominated = (job.nominatedNodeIds?.length ?? 0) > 0;
    if (job.shape.nodes === 1 || nominated)
      return findNodes(job, model, this.index, this.book, endAt);
    const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}`;
    if (this.gangMisses.has(key)) return undefined;
    const nodes = findNodes(job, model, this.index, this.book, endAt);
    if (!nodes) this.gangMisses.add(key);
    return nodes;
  }

  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly probe: CycleProbe,
  ) {
    this.now = snapshot.now;
    this.classes = new Map(snapshot.classes.map((c) => [c.name, c]));
    // 1. index the cluster
    this.index = probe.step('index', () => new NodeIndex(snapshot));
    this.slots = new SlotFinder(this.index, this.book, this.now);
    this.quota = new QuotaTracker(snapshot.queues, this.index.holdings.heldByQueue);
    this.victims = new VictimFinder(
      this.index,
      this.classes,
      this.quota,
      this.now,
      snapshot.config.maxPreemptionsPerJob,
    );
    // 2. order the pending jobs
    this.order = probe.step(
      'order',
      () =>
        new JobOrder(
          snapshot.pending,
          (job) => this.classOf(job),
          this.quota,
          new FairShare(snapshot, this.quota, this.index),
          this.now - snapshot.config.starvationAgeSeconds * 1000,
        ),
    );
    // 3. hold the nodes of jobs earlier preemptions were made for
    probe.step('nominate', () => this.order.nominated.forEach((job) => this.holdNomination(job)));
  }

  private classOf(job: { priorityClass: string }): PriorityClass {
    return (
      this.classes.get(job.priorityClass) ??
      this.classes.get(DEFAULT_PRIORITY_CLASS) ?? {
        name: job.priorityClass,
        priority: 0,
        preemptible: true,
        minRuntimeSeconds: 0,
        gracePeriodSeconds: 30,
      }
    );
  }

  private modelsFor(job: PendingJob): readonly string[] {
    return job.shape.gpuModel ? [job.shape.gpuModel] : this.index.models;
  }

  private holdNomination(job: PendingJob): void {
    const states = (job.nominatedNodeIds ?? [])
      .map((id) => this.index.stateOf(id))
      .filter((s) => s !== undefined);
    if (states.length === 0) return;
    const model = job.shape.gpuModel ?? states[0]!.models[0] ?? '';
    this.book.hold(job.id, model, job.shape.gpusPerNode, { at: this.now, nodes: states });
  }

  run(): Decision {
    // 4. admit, place, preempt, reserve or wait, job by job
    this.probe.step('admit-place-preempt', () => {
      let attempted = 0;
      while (attempted < this.snapshot.config.maxConsidered) {
        const job = this.order.next();
        if (!job) break;
        if (this.consider(job)) attempted++;
      }
    });
    return {
      placements: this.placements,
      preemptions: this.preemptions,
      nominations: this.nominations,
      waiting: this.waiting,
      reservations: this.reservations,
    };
  }

  /** Places, preempts for, reserves for or parks one job; false when quota refused it (cheap). */
  private consider(job: PendingJob): boolean {
    const cls = this.classOf(job);
    const gpus = totalGpus(job.shape);
    const endAt =
      job.estimatedRuntimeSeconds === null
        ? Number.POSITIVE_INFINITY
        : this.now + job.estimatedRuntimeSeconds * 1000;
    if (gpus === 0) {
      this.placeAnywhere(job);
      return true;
    }
    // Made at their first entry (usually the only one): a list that starts empty grows to 17
    // places at its first push, and a cycle makes these for 20,000 jobs.
    let admitted: Array<{ model: string; borrowing: boolean }> | undefined;
    let models: string[] | undefined;
    let refusal: Waiting | undefined;
    for (const model of this.modelsFor(job)) {
      const verdict = this.quota.evaluate(job.queue, model, gpus, cls.preemptible);
      if (!verdict.ok) {
        refusal ??= { jobId: job.id, reason: verdict.reason, message: verdict.message };
        continue;
      }
      const admission = { model, borrowing: verdict.borrowing };
      if (admitted && models) {
        admitted.push(admission);
        models.push(model);
      } else {
        admitted = [admission];
        models = [model];
      }
      const nodes = this.nodesFor(job, model, endAt);
      if (nodes) {
        this.place(job, model, nodes, verdict.borrowing, endAt);
        return true;
      }
    }
    if (!admitted || !models) {
      this.waiting.push(
        refusal ?? {
          jobId: job.id,
          reason: Unschedulable,
          message: `needs ${describeShape(job, '')}; no node has such GPUs`,
        },
      );
      return false;
    }
    const { preemption, backfill, maxReservations } = this.snapshot.config;
    // Once the cycle's preemptions or search budget are spent they stay spent, so the warrant
    // (and the earliest-start searches behind it) is not worked out for nothing.
    if (
      preemption &&
      this.mayPreempt() &&
      this.preempt(job, admitted, this.priorityPreemptionWarranted(job, cls, models))
    )
      return true;
    if (backfill && this.book.count < maxReservations && this.reserve(job, models)) return true;
    this.wait(job, models);
    return true;
  }

  private placeAnywhere(job: PendingJob): void {
    const state = this.index.domains.values().next().value?.[0];
    if (!state) {
      this.waiting.push({
        jobId: job.id,
        reason: WaitingForResources,
        message: 'no schedulable node is registered',
      });
      return;
    }
    this.placements.push({
      jobId: job.id,
      allocations: [{ nodeId: state.node.id, nodeName: state.node.name, gpuIndices: [] }],
      borrowing: false,
    });
  }

  private place(
    job: PendingJob,
    model: string,
    nodes: ReturnType<typeof findNodes> & object,
    borrowing: boolean,
    endAt: number,
  ): void {
    const g = job.shape.gpusPerNode;
    const allocations = nodes.map((state) => {
      this.book.took(state, model, g, endAt);
      return {
        nodeId: state.node.id,
        nodeName: state.node.name,
        gpuIndices: this.index.take(state, model, g, endAt),
      };
    });
    this.quota.add(job.queue, model, totalGpus(job.shape));
    this.order.placedIn(job.queue);
    this.placements.push({ jobId: job.id, allocations, borrowing });
  }

  /**
   * Priority preemption costs the victims work, so a job of a preemptible class uses it only when
   * it could otherwise not start for a long time; a job of a non-preemptible class (serving) at once.
   */
  private priorityPreemptionWarranted(
    job: PendingJob,
    cls: PriorityClass,
    models: readonly string[],
  ): boolean {
    if (!cls.preemptible) return true;
    if (!this.victims.hasVictimBelow(cls.priority)) return false;
    const soonest = Math.min(...models.map((m) => this.soonestStart(job, m)));
    return soonest - this.now > this.snapshot.config.preemptAfterWaitSeconds * 1000;
  }

  /**
   * When a job of this shape could start at the earliest, as first computed this cycle (later
   * placements and holds only push it back, so the answer errs towards not preempting).
   */
  private soonestStart(job: PendingJob, model: string): number {
    const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}`;
    let at = this.starts.get(key);
    if (at === undefined) {
      const slot = this.slots.earliestSlot(model, job.shape.nodes, job.shape.gpusPerNode);
      at = slot?.at ?? Number.POSITIVE_INFINITY;
      this.starts.set(key, at);
    }
    return at;
  }

  /** Whether this cycle may still preempt: neither its preemptions nor its search budget spent. */
  private mayPreempt(): boolean {
    return (
      this.preemptions.length < this.snapshot.config.maxPreemptionsPerCycle &&
      !this.victims.exhausted
    );
  }

  private preempt(
    job: PendingJob,
    admitted: ReadonlyArray<{ model: string; borrowing: boolean }>,
    forPriority: boolean,
  ): boolean {
    const tier = this.classOf(job).priority;
    for (const { model, borrowing } of admitted) {
      if (borrowing && !forPriority) continue; // neither reclaim nor priority applies
      // A search that found nothing finds nothing later in the cycle either (only fewer GPUs
      // and victims remain), so identical searches are skipped.
      const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}|${tier}|${borrowing ? '' : job.queue}|${forPriority}`;
      if (this.fruitless.has(key) || (borrowing && !this.victims.hasVictimBelow(tier))) continue;
      const usable = (state: Parameters<ReservationBook['allows']>[0]): boolean =>
        this.book.allows(state, model, job.shape.gpusPerNode, Number.POSITIVE_INFINITY, job.id);
      const plan = this.victims.find(job, model, !borrowing, forPriority, usable);
      if (!plan) {
        this.fruitless.add(key);
        continue;
      }
      const names = plan.nodes.map((s) => s.node.name);
      this.book.hold(job.id, model, job.shape.gpusPerNode, { at: this.now, nodes: plan.nodes });
      this.nominations.push({ jobId: job.id, nodeIds: plan.nodes.map((s) => s.node.id) });
      if (plan.victims.length === 0) {
        this.waiting.push({
          jobId: job.id,
          reason: Preempting,
          message: `waiting for jobs already stopping on ${listNames(names)}`,
        });
        return true;
      }
      for (const victim of plan.victims) {
        this.victims.markPreempted(victim.job);
        const grace = this.classOf(victim.job).gracePeriodSeconds;
        const why =
          victim.cause === 'Reclaim'
            ? `queue ${job.queue} reclaims its guaranteed GPUs`
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
      this.waiting.push({
        jobId: job.id,
        reason: Preempting,
        message: `preempting ${listNames(ids)} on ${listNames(names)}; starts when they stop (within ${grace}s)`,
      });
      return true;
    }
    return false;
  }

  private reserve(job: PendingJob, models: readonly string[]): boolean {
    let best:
      { model: string; slot: NonNullable<ReturnType<SlotFinder['earliestSlot']>> } | undefined;
    for (const model of models) {
      const slot = this.slots.earliestSlot(model, job.shape.nodes, job.shape.gpusPerNode);
      if (slot && (!best || slot.at < best.slot.at)) best = { model, slot };
    }
    if (!best) return false;
    this.book.hold(job.id, best.model, job.shape.gpusPerNode, best.slot);
    const nodeIds = best.slot.nodes.map((s) => s.node.id);
    this.reservations.push({ jobId: job.id, at: best.slot.at, nodeIds });
    const names = listNames(best.slot.nodes.map((s) => s.node.name));
    this.waiting.push({
      jobId: job.id,
      reason: Reserved,
      message: `reserved ${names} from ${new Date(best.slot.at).toISOString()} (in ~${inHowLong(this.now, best.slot.at)}); jobs that would delay it wait`,
    });
    return true;
  }

  private wait(job: PendingJob, models: readonly string[]): void {
    const model = models[0] ?? '';
    let everFits = false;
    for (const m of models) everFits ||= this.couldEverFit(job, m);
    if (!everFits) {
      this.waiting.push({
        jobId: job.id,
        reason: Unschedulable,
        message: `needs ${describeShape(job, model)}; no set of nodes could ever hold it`,
      });
    } else if (job.shape.nodes > 1) {
      let together = Number.NEGATIVE_INFINITY;
      for (const m of models) {
        const key = `${m}|${job.shape.gpusPerNode}`;
        let free = this.together.get(key);
        if (free === undefined)
          this.together.set(key, (free = mostFreeTogether(job, m, this.index)));
        together = Math.max(together, free);
      }
      this.waiting.push({
        jobId: job.id,
        reason: WaitingForGang,
        message: `needs ${describeShape(job, model)}; at most ${together} such nodes are free together`,
      });
    } else {
      let most = Number.NEGATIVE_INFINITY;
      for (const m of models) most = Math.max(most, this.index.mostFree(m));
      this.waiting.push({
        jobId: job.id,
        reason: WaitingForResources,
        message: `needs ${describeShape(job, model)}; the most free on any node is ${most}`,
      });
    }
  }

  /** Whether some set of nodes could ever hold the job, as first worked out for its shape. */
  private couldEverFit(job: PendingJob, model: string): boolean {
    const key = `${model}|${job.shape.nodes}|${job.shape.gpusPerNode}`;
    let fits = this.fits.get(key);
    if (fits === undefined) this.fits.set(key, (fits = couldEverFit(job, model, this.index)));
    return fits;
  }
}

const UNTIMED: CycleProbe = { step: (_name, work) => work() };

export const gantryPolicy: SchedulingPolicy = {
  name: 'gantry',
  decide: (snapshot, probe = UNTIMED) => new Cycle(snapshot, probe).run(),
};
