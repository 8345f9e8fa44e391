/**
 * Gantry's scheduling policy, one pure cycle over a snapshot:
 *   1. index the cluster: free GPUs per node and model, quota use per queue, fair shares;
 *   2. order the pending jobs (starving jobs first, then class priority, then fair share, then
 *      submit time: ordering.ts);
 *   3. hold the nodes of jobs that earlier preemptions were made for (steps 2 and 3 do not
 *      depend on each other: the order's one pass over the pending jobs notes these jobs);
 *   4. for each job in that order: admit it against its queue's quota; place it now if it fits
 *      without delaying a reservation (on an idle warm engine of its model if it runs on one and
 *      one may take it, else best fit; gangs all or nothing in one fabric domain: placing.ts,
 *      affinity.ts); else preempt for it (higher class, or a queue reclaiming its guarantee)
 *      losing the least work; opportunistic jobs (interruptible leases) at once, others only
 *      for a long wait (preempting.ts); within an opportunistic class, the lowest bids for a
 *      higher bid (ADR 12); a starving job may then preempt jobs that waited less (starvation
 *      preemption); else reserve the earliest slot it could start in (backfill protects it:
 *      reserving.ts; a starving job's reservation is beyond the budget of `maxReservations`);
 *      else give it a reason to wait (waits.ts). Aging: ADR 13.
 */
import {
  DEFAULT_PRIORITY_CLASS,
  totalGpus,
  type ClusterSnapshot,
  type CycleProbe,
  type Decision,
  type PendingJob,
  type PriorityClass,
  type Reservation,
  type SchedulingPolicy,
  type Waiting,
  waitingSinceOf,
} from '../../model';
import { cycleColumns } from './column-pool';
import { FairShare } from './fair-share';
import { NodeIndex, type NodeState } from './node-index';
import { JobOrder } from './ordering';
import { PendingTiers } from './pending-tiers';
import { Placer } from './placing';
import { PreemptStep } from './preempting';
import { VictimFinder } from './preemption';
import { QuotaTracker } from './quota';
import { ReservationBook } from './reservations';
import { reserveFor } from './reserving';
import { SettledFit } from './settled-fit';
import { SlotFinder } from './slots';
import { WaitReasons } from './waits';

class Cycle {
  private readonly waiting: Waiting[] = [];
  private readonly reservations: Reservation[] = [];
  private readonly classes: Map<string, PriorityClass>;
  private readonly index: NodeIndex;
  private readonly quota: QuotaTracker;
  private readonly book = new ReservationBook();
  private readonly slots: SlotFinder;
  private readonly order: JobOrder;
  private readonly preempting: PreemptStep;
  private readonly reasons: WaitReasons;
  private readonly placer: Placer;
  private readonly settled: SettledFit;
  private readonly now: number;
  /** Jobs waiting since before this (epoch ms) are starving. */
  private readonly starvingBefore: number;
  /** Holds made for starving jobs: they do not count against `maxReservations`. */
  private exemptHolds = 0;

  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly probe: CycleProbe,
  ) {
    const { config } = snapshot;
    this.now = snapshot.now;
    this.starvingBefore = this.now - config.starvationAgeSeconds * 1000;
    this.classes = new Map(snapshot.classes.map((c) => [c.name, c]));
    const classOf = (job: { priorityClass: string }): PriorityClass => this.classOf(job);
    // 1. index the cluster
    this.index = probe.step('index', () => new NodeIndex(snapshot, true));
    this.slots = new SlotFinder(this.index, this.book, this.now);
    this.quota = new QuotaTracker(snapshot.queues, this.index.holdings.heldByQueue);
    const victims = new VictimFinder(
      this.index,
      this.classes,
      this.quota,
      this.now,
      config.maxPreemptionsPerJob,
      undefined,
      config.starvationAgeSeconds * 1000,
    );
    this.preempting = new PreemptStep(
      config,
      this.now,
      classOf,
      victims,
      this.quota,
      this.book,
      this.slots,
      this.waiting,
      snapshot.running.some((job) => victims.startedStarving(job)),
    );
    this.reasons = new WaitReasons(this.index);
    this.placer = new Placer(this.index, this.book, this.quota, (queue) =>
      this.order.placedIn(queue),
    );
    this.settled = new SettledFit(this.index, this.book, this.classes);
    // 2. order the pending jobs
    this.order = probe.step(
      'order',
      () =>
        new JobOrder(
          PendingTiers.of(snapshot.pending, snapshot.classes, classOf, this.starvingBefore),
          this.quota,
          new FairShare(snapshot, this.quota, this.index),
        ),
    );
    // 3. hold the nodes of jobs earlier preemptions were made for
    probe.step('nominate', () => this.order.nominated.forEach((job) => this.holdNomination(job)));
  }

  /** The job's class: its own, else the default class, else a plain preemptible one. */
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
      placements: this.placer.placements,
      preemptions: this.preempting.preemptions,
      nominations: this.preempting.nominations,
      waiting: this.waiting,
      reservations: this.reservations,
    };
  }

  /**
   * Engine affinity: places the job on an idle warm engine of its model, on any GPU model it may
   * use, where quota admits it and it may start now; false if there is none (best fit follows).
   */
  private placeWarm(
    job: PendingJob,
    cls: PriorityClass,
    gpus: number,
    candidates: readonly string[],
    endAt: number,
  ): boolean {
    for (let i = 0; i < candidates.length; i++) {
      const model = candidates[i]!;
      const slot = this.placer.warmFor(job, model, endAt);
      if (!slot) continue;
      const verdict = this.quota.evaluate(job.queue, model, gpus, cls.preemptible);
      if (!verdict.ok) continue;
      this.place(job, cls, model, [slot.state], verdict.borrowing, endAt, slot.gpuIndices);
      return true;
    }
    return false;
  }

  /** Places a job on nodes (all free now); a settled job's GPUs leave SettledFit's room. */
  private place(
    job: PendingJob,
    cls: PriorityClass,
    model: string,
    nodes: readonly NodeState[],
    borrowing: boolean,
    endAt: number,
    exactly?: readonly number[],
  ): void {
    this.placer.place(job, model, nodes, borrowing, endAt, exactly);
    if (cls.priority >= this.index.opportunisticBelow)
      for (const state of nodes) this.settled.took(state, model, job.shape.gpusPerNode);
  }

  /**
   * A single-node job of a settled class while interruptible leases hold GPUs of the model: on
   * the node it would fit best if they were not there (settled-fit.ts), now if the GPUs are free
   * there, else after the notice of the leases it preempts; false when that does not apply.
   */
  private placeSettled(
    job: PendingJob,
    cls: PriorityClass,
    model: string,
    borrowing: boolean,
    endAt: number,
  ): boolean {
    if (job.shape.nodes !== 1 || cls.priority < this.index.opportunisticBelow) return false;
    if (!this.settled.applies(model)) return false;
    // A job preempted for waits on its node: a GPU a lease gives back elsewhere meanwhile would
    // spread internal work over the leases' nodes again.
    const held = job.nominatedNodeIds?.[0];
    const state =
      held === undefined ? this.settled.fit(job, model, endAt) : this.index.stateOf(held);
    if (!state || state.totalOf(model) < job.shape.gpusPerNode) return false;
    if (state.freeCount(model) >= job.shape.gpusPerNode) {
      this.place(job, cls, model, [state], borrowing, endAt);
      return true;
    }
    if (!this.snapshot.config.preemption || !this.preempting.preemptOn(job, cls, model, state))
      return false;
    this.settled.took(state, model, job.shape.gpusPerNode);
    return true;
  }

  /** Places, preempts for, reserves for or parks one job; false when quota refused it (cheap). */
  private consider(job: PendingJob): boolean {
    if (waitingSinceOf(job) >= this.starvingBefore) return this.considerJob(job, false);
    // What a starving job holds (a reservation, the nodes of its victims) is beyond the budget.
    const held = this.book.count;
    try {
      return this.considerJob(job, true);
    } finally {
      this.exemptHolds += this.book.count - held;
    }
  }

  private considerJob(job: PendingJob, starving: boolean): boolean {
    const cls = this.classOf(job);
    const gpus = totalGpus(job.shape);
    const endAt =
      job.estimatedRuntimeSeconds === null
        ? Number.POSITIVE_INFINITY
        : this.now + job.estimatedRuntimeSeconds * 1000;
    if (gpus === 0) {
      const reason = this.placer.placeAnywhere(job);
      if (reason) this.waiting.push(reason);
      return true;
    }
    const candidates = job.shape.gpuModel ? [job.shape.gpuModel] : this.index.models;
    if (job.engineModelKey && this.placeWarm(job, cls, gpus, candidates, endAt)) return true;
    // The models the job is admitted on: the candidates themselves unless quota refused one
    // (no list per job, 20,000 a cycle, in the usual case).
    let admitted: string[] | undefined;
    let refusal: Waiting | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const model = candidates[i]!;
      const verdict = this.quota.evaluate(job.queue, model, gpus, cls.preemptible);
      if (!verdict.ok) {
        refusal ??= { jobId: job.id, reason: verdict.reason, message: verdict.message };
        admitted ??= candidates.slice(0, i);
        continue;
      }
      admitted?.push(model);
      if (this.placeSettled(job, cls, model, verdict.borrowing, endAt)) return true;
      const nodes = this.placer.nodesFor(job, model, endAt);
      if (nodes) {
        this.place(job, cls, model, nodes, verdict.borrowing, endAt);
        return true;
      }
    }
    const models = admitted ?? candidates;
    if (models.length === 0) {
      this.waiting.push(refusal ?? this.reasons.noSuchGpus(job));
      return false;
    }
    const { preemption, backfill, maxReservations } = this.snapshot.config;
    const preempting = this.preempting;
    // Once the cycle's preemptions or search budget are spent they stay spent, so the warrant
    // (and the earliest-start searches behind it) is not worked out for nothing.
    if (preemption && preempting.mayPreempt()) {
      const warranted = preempting.warranted(job, cls, models);
      if (preempting.preemptFor(job, cls, models, warranted)) return true;
      // Opportunistic jobs (interruptible leases) are taken at once, with no warrant.
      if (!warranted && preempting.preemptOpportunistic(job, cls, models)) return true;
      // Within an opportunistic class, a higher bid takes the GPUs of the lowest (ADR 12).
      if (preempting.preemptOutbid(job, cls, models)) return true;
      if (
        starving &&
        preempting.mayPreempt() &&
        preempting.starvationWarranted(job, models) &&
        preempting.preemptStarving(job, models)
      )
        return true;
    }
    if (backfill && (starving || this.book.count - this.exemptHolds < maxReservations)) {
      const reserved = reserveFor(job, models, this.slots, this.book, this.now);
      if (reserved) {
        this.reservations.push(reserved.reservation);
        this.waiting.push(reserved.waiting);
        return true;
      }
    }
    this.waiting.push(this.reasons.unplaced(job, models));
    return true;
  }
}

const UNTIMED: CycleProbe = { step: (_name, work) => work() };

export const gantryPolicy: SchedulingPolicy = {
  name: 'gantry',
  // The cycle's columns go back to the pool when it ends (column-pool.ts).
  decide: (snapshot, probe = UNTIMED) =>
    cycleColumns.during(() => new Cycle(snapshot, probe).run()),
};
