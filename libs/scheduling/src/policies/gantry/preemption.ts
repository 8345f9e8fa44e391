/**
 * Choosing victims so a job can start, losing the least work. Only preemptible jobs are
 * victims, and only for a job of a higher class (priority preemption: not before the victim's
 * minimum runtime, nor while it is protected after a restart that followed a preemption) or
 * for a queue taking back its guarantee from borrowers (reclaim: bounded by the victims' grace
 * period). A job preempted `maxPerJob` times already is not chosen for priority again, and
 * another queue's job is a victim only if its queue keeps its guarantee without it. Per node,
 * victims are taken lowest class first, then least work since their last checkpoint; the node
 * (or, for a gang, the nodes of one fabric domain) that loses least wins. A search may also be
 * capped to victims below a class priority (the opportunistic classes: see PreemptStep).
 * An outbid search (ADR 12) is the one exception to "a higher class": for a job of an
 * opportunistic class, victims are jobs of its own class with a strictly lower job priority (an
 * interruptible lease's bid), lowest bid first.
 * Aging (ADR 13): a job that started after starving is left out of a first search (it is a victim
 * of reclaim, or of a non-preemptible class's priority, only as a last resort; never of a
 * preemptible class's priority), and a starving job may preempt jobs of any preemptible class that
 * waited less than it has, past their minimum runtime (however often they were preempted before),
 * of its own queue or of a queue above its guarantee (starvation preemption); jobs that started
 * after starving are never taken for it.
 */
import {
  waitedBeforeStart,
  type PendingJob,
  type PriorityClass,
  type RunningJob,
} from '../../model';
import type { NodeIndex, NodeState } from './node-index';
import type { QuotaTracker } from './quota';
import { gpusHeld, gpusOn } from './holdings';
import { NOT_A_VICTIM, priorityMayTake, ratedAlike, TAKEABLE, victimLoss } from './victim-facts';
import { VictimOrder } from './victim-order';
import {
  better,
  domainPlan,
  FREE,
  gangVisits,
  mayBeat,
  NODE_VISITS_PER_CYCLE,
  type Cost,
  type NodeOption,
  type Search,
  type Victim,
  type VictimPlan,
} from './victim-plans';

export type { Victim, VictimPlan } from './victim-plans';

export class VictimFinder {
  private visits = 0;
  private readonly preempted = new Set<string>();
  /** The lowest class priority among running preemptible jobs (Infinity when there are none). */
  private readonly lowestTier: number;
  /** Whether Holdings' victim columns were rated by this finder's rules (ratedAlike). */
  private readonly columnsApply: boolean;
  private readonly orders = new Map<string, VictimOrder>();
  /** Per class asked about: the lowest priority of its running jobs not told to stop. */
  private readonly lowestBids = new Map<string, number>();

  /** Whether this cycle's search budget is spent. */
  get exhausted(): boolean {
    return this.visits >= this.budget;
  }

  constructor(
    private readonly index: NodeIndex,
    private readonly classes: ReadonlyMap<string, PriorityClass>,
    private readonly quota: QuotaTracker,
    private readonly now: number,
    private readonly maxPerJob: number,
    /** Node visits this cycle's searches may make in all. */
    private readonly budget = NODE_VISITS_PER_CYCLE,
    /** A running job that waited this long (ms) before it started started after starving. */
    private readonly starvationAgeMs = Number.POSITIVE_INFINITY,
  ) {
    let lowest = Number.POSITIVE_INFINITY;
    for (const name of index.holdings.runningClasses) {
      const cls = classes.get(name);
      if (cls?.preemptible) lowest = Math.min(lowest, cls.priority);
    }
    this.lowestTier = lowest;
    this.columnsApply = ratedAlike(index.holdings.rules, classes, now, maxPerJob);
  }

  /** Whether any running job could be preempted for priority by a job of class priority `tier`. */
  hasVictimBelow(tier: number): boolean {
    return this.lowestTier < tier;
  }

  /** Whether the running job started after starving (a victim only as a last resort). */
  startedStarving(job: RunningJob): boolean {
    return waitedBeforeStart(job) >= this.starvationAgeMs;
  }

  /** A victim chosen this cycle: not chosen again, and its GPUs count as freeing. */
  markPreempted(job: RunningJob): void {
    this.preempted.add(job.id);
    this.quota.add(job.queue, job.gpuModel, -gpusHeld(job)); // its queue no longer counts it
    for (const allocation of job.allocations)
      this.index
        .stateOf(allocation.nodeId)
        ?.addStopping(job.gpuModel, allocation.gpuIndices.length);
  }

  private victim(job: RunningJob, search: Search): Victim | undefined {
    if (job.stopping || this.preempted.has(job.id)) return undefined;
    const cls = this.classes.get(job.priorityClass);
    const { mine, preemptor } = search;
    if (!cls?.preemptible || !mine) return undefined;
    if (search.outbid) return this.outbidVictim(job, cls, search);
    const starving = search.starvingSince !== undefined;
    if ((search.spareStarved || starving) && this.startedStarving(job)) return undefined;
    const sameQueue = job.queue === preemptor.queue;
    // The cheap tests first: a node's jobs are rated thousands of times a cycle, and most are
    // no victim; what a victim holds and would lose is worked out only for those that are.
    // Another queue's guaranteed GPUs are never taken: only what it borrows, and never so much
    // that it falls below its guarantee (it would reclaim at once: a preemption ping-pong).
    // Starvation ignores the cap of preemptions per job: a victim thrown back keeps its wait
    // (waitingSince) and, once starving itself, may be thrown back no more.
    if (starving)
      return priorityMayTake(job, cls, this.now, Number.POSITIVE_INFINITY) &&
        waitedBeforeStart(job) < this.now - search.starvingSince &&
        (sameQueue || this.borrowed(job))
        ? this.rated(job, cls, 'Starvation')
        : undefined;
    if (search.reclaiming && !sameQueue && this.borrowed(job))
      return this.rated(job, cls, 'Reclaim');
    // A job that started after starving is never taken for a preemptible class's priority: its
    // victims, back in the queue, would take it straight back (measured on Philly: ADR 13).
    return search.forPriority &&
      (search.below ?? mine.priority) > cls.priority &&
      priorityMayTake(job, cls, this.now, this.maxPerJob) &&
      !(mine.preemptible && this.startedStarving(job)) &&
      (sameQueue || this.spare(job))
      ? this.rated(job, cls, 'Priority')
      : undefined;
  }

  /** Whether the job's queue keeps its guarantee without the job's GPUs. */
  private spare(job: RunningJob): boolean {
    return this.quota.canGive(job.queue, job.gpuModel, gpusHeld(job));
  }

  /** Whether the job's queue borrows, and keeps its guarantee without the job's GPUs. */
  private borrowed(job: RunningJob): boolean {
    return this.quota.lendsSpare(job.queue, job.gpuModel, gpusHeld(job));
  }

  /** A victim with its class priority and the work it would lose. */
  private rated(job: RunningJob, cls: PriorityClass, cause: Victim['cause']): Victim {
    const lost = victimLoss(job, cls, gpusHeld(job), this.now, this.index.opportunisticBelow);
    return { job, cause, tier: cls.priority, lostWork: lost };
  }

  /**
   * In an outbid search: a job of the preemptor's class whose bid (job priority) is strictly
   * lower, which priority preemption may take now, in the preemptor's queue or one that keeps
   * its guarantee without it. It loses no work (the class is opportunistic) and ranks by its bid.
   */
  private outbidVictim(job: RunningJob, cls: PriorityClass, search: Search): Victim | undefined {
    const { preemptor } = search;
    if (job.priorityClass !== preemptor.priorityClass || !(job.priority < preemptor.priority))
      return undefined;
    if (!priorityMayTake(job, cls, this.now, this.maxPerJob)) return undefined;
    const sameQueue = job.queue === preemptor.queue;
    if (!sameQueue && !this.quota.canGive(job.queue, job.gpuModel, gpusHeld(job))) return undefined;
    return { job, cause: 'Priority', tier: job.priority, lostWork: 0, outbid: true };
  }

  /**
   * Whether a running job of the class, not told to stop, has a priority (bid) below `priority`:
   * whether an outbid search could find anything at all.
   */
  hasBidBelow(priorityClass: string, priority: number): boolean {
    let lowest = this.lowestBids.get(priorityClass);
    if (lowest === undefined) {
      lowest = Number.POSITIVE_INFINITY;
      for (const job of this.index.holdings.jobs)
        if (job.priorityClass === priorityClass && !job.stopping)
          lowest = Math.min(lowest, job.priority);
      this.lowestBids.set(priorityClass, lowest);
    }
    return lowest < priority;
  }

  /** The cheapest victims on one node that leave `gpus` of `model` free once they stop. */
  private onNode(state: NodeState, search: Search): { victims: Victim[]; cost: Cost } | undefined {
    this.visits++;
    const { model, gpus } = search;
    let available = state.freeCount(model) + state.stoppingOf(model);
    if (available >= gpus) return { victims: [], cost: FREE }; // free or freeing already
    if (search.order.mostFreeable(state, search.below) < gpus) return undefined; // no victims rated
    const candidates: Victim[] = [];
    // The node's jobs as Holdings lists them, in the snapshot's order.
    const { jobs, order, start, victimKinds, victimTiers } = this.index.holdings;
    // Holdings' columns answer a plain priority search's tests where they were rated by this
    // finder's rules: a job told to stop or of a class that is not preemptible is no victim,
    // nor, for priority, one priority may not take now or of a class not below the bound.
    const rated = this.columnsApply;
    const priority =
      rated &&
      search.forPriority &&
      !search.reclaiming &&
      !search.outbid &&
      search.starvingSince === undefined;
    const below = search.below ?? search.mine?.priority ?? Number.NaN;
    for (let i = start[state.group]!; i < start[state.group + 1]!; i++) {
      const k = order[i]!;
      const job = jobs[k]!;
      if (job.gpuModel !== model) continue;
      if (rated && victimKinds[k] === NOT_A_VICTIM) continue;
      if (priority && !(victimKinds[k] === TAKEABLE && victimTiers[k]! < below)) continue;
      const victim = this.victim(job, search);
      if (victim) candidates.push(victim);
    }
    candidates.sort(
      (a, b) => a.tier - b.tier || a.lostWork - b.lostWork || (a.job.id < b.job.id ? -1 : 1),
    );
    const victims: Victim[] = [];
    for (const candidate of candidates) {
      if (available >= gpus) break;
      victims.push(candidate);
      available += gpusOn(candidate.job, state.node.id);
    }
    if (available < gpus) return undefined;
    let tier = Number.NEGATIVE_INFINITY;
    let lost = 0;
    for (const victim of victims) {
      tier = Math.max(tier, victim.tier);
      lost += victim.lostWork;
    }
    return { victims, cost: { tier, lost, count: victims.length } };
  }

  /**
   * A search for `preemptor` on `model`: a priority search of its own class's jobs, with no
   * aging, unless `overrides` say otherwise.
   */
  private search(
    preemptor: PendingJob,
    model: string,
    order: VictimOrder,
    overrides: Partial<Search> & Pick<Search, 'below'>,
  ): Search {
    return {
      preemptor,
      mine: this.classes.get(preemptor.priorityClass),
      model,
      gpus: preemptor.shape.gpusPerNode,
      reclaiming: false,
      forPriority: true,
      order,
      spareStarved: false,
      starvingSince: undefined,
      ...overrides,
    };
  }

  /**
   * The plan that loses least, for `nodes` nodes of one domain; undefined when none exists. A
   * plan without victims means enough GPUs are free or already being freed: wait for them.
   * `ceiling` caps a priority search's victims to classes below it too. `aging`: leave out jobs
   * that started after starving (`spareStarved`), or search for a starving job that has waited
   * since `starvingSince` (starvation preemption: any class below Infinity, no reclaim).
   */
  find(
    preemptor: PendingJob,
    model: string,
    reclaiming: boolean,
    forPriority: boolean,
    usable: (state: NodeState) => boolean,
    ceiling = Number.POSITIVE_INFINITY,
    aging: { spareStarved?: boolean; starvingSince?: number } = {},
  ): VictimPlan | undefined {
    const { nodes } = preemptor.shape;
    const mine = this.classes.get(preemptor.priorityClass);
    const starvingSince = reclaiming ? undefined : aging.starvingSince;
    // Starvation takes jobs preempted too often for priority too: the order counting every
    // preemptible job (a looser bound; the victims are rated one by one anyway).
    const order = this.order(model, !reclaiming && starvingSince === undefined);
    const below = reclaiming
      ? undefined
      : starvingSince !== undefined
        ? Number.POSITIVE_INFINITY
        : Math.min(mine?.priority ?? Number.NEGATIVE_INFINITY, ceiling);
    const search = this.search(preemptor, model, order, {
      reclaiming,
      forPriority,
      below,
      spareStarved: aging.spareStarved ?? false,
      starvingSince,
    });
    if (nodes === 1) return this.findOnOneNode(search, usable);
    const tier = below ?? mine?.priority ?? 0;
    return this.findGang(search, usable, (bound) => reclaiming || bound < tier);
  }

  /**
   * An outbid search (ADR 12) for a job of an opportunistic class: the cheapest plan that takes
   * only jobs of its own class with a strictly lower bid, lowest bids first. A plan costs the
   * highest bid it displaces, so the node (or, for a gang, the nodes of one domain) whose
   * displaced bids are lowest wins, even over one the job would pack better on; then the fewest
   * victims; then the node that comes first. undefined when none exists.
   */
  findOutbid(
    preemptor: PendingJob,
    model: string,
    usable: (state: NodeState) => boolean,
  ): VictimPlan | undefined {
    const mine = this.classes.get(preemptor.priorityClass);
    if (!mine) return undefined;
    const order = this.order(model, true);
    // Leases are not aged: a bid decides among them.
    const search = this.search(preemptor, model, order, { below: undefined, outbid: true });
    // A node whose cheapest victim is of a higher class holds none of the preemptor's class.
    if (preemptor.shape.nodes > 1)
      return this.findGang(search, usable, (bound) => bound <= mine.priority);
    let best: { plan: VictimPlan; cost: Cost } | undefined;
    const cheapest = order.cheapestFirst();
    for (let i = 0; i < cheapest.length; i++) {
      const n = cheapest[i]!;
      if (order.tierAt(n) > mine.priority || this.exhausted) break; // no victim of its class left
      const state = this.index.all[n]!;
      if (state.totalOf(model) < search.gpus || !usable(state)) continue;
      const option = this.onNode(state, search);
      if (option && (!best || better(option.cost, best.cost)))
        best = { plan: { nodes: [state], victims: option.victims }, cost: option.cost };
      if (best?.cost.count === 0) break; // GPUs freeing already: nothing beats waiting for them
    }
    return best?.plan;
  }

  /**
   * The plan that loses least for a gang: `nodes` nodes of one domain, visiting the nodes whose
   * cheapest victim's rank `candidate` accepts or with the GPUs free already.
   */
  private findGang(
    search: Search,
    usable: (state: NodeState) => boolean,
    candidate: (bound: number) => boolean,
  ): VictimPlan | undefined {
    const { order, model, gpus: gpusPerNode } = search;
    const { nodes } = search.preemptor.shape;
    const eligible = (state: NodeState): boolean => {
      const bound = order.tierOf(state);
      if (!(bound !== undefined && candidate(bound)) && state.freeCount(model) < gpusPerNode)
        return false;
      return state.totalOf(model) >= gpusPerNode && usable(state);
    };
    const visits = gangVisits(this.index.domainList, eligible, this.budget - this.visits);
    if (!visits) {
      this.visits = Math.max(this.visits, this.budget);
      return undefined;
    }
    let best: { plan: VictimPlan; cost: Cost } | undefined;
    for (const visited of visits) {
      const options: NodeOption[] = [];
      for (const state of visited) {
        const option = this.onNode(state, search);
        if (option) options.push({ state, victims: option.victims, cost: option.cost });
      }
      const plan = domainPlan(options, nodes);
      if (plan && (!best || better(plan.cost, best.cost))) best = plan;
    }
    return best?.plan;
  }

  /**
   * The cheapest victims of classes below `ceiling` (and the preemptor's) on one node that leave
   * a single-node job's GPUs free there; undefined when they would not free enough.
   */
  findOn(
    preemptor: PendingJob,
    model: string,
    state: NodeState,
    ceiling: number,
  ): VictimPlan | undefined {
    const mine = this.classes.get(preemptor.priorityClass);
    const below = Math.min(mine?.priority ?? Number.NEGATIVE_INFINITY, ceiling);
    const search = this.search(preemptor, model, this.order(model, true), { below });
    const option = this.onNode(state, search);
    return option && { nodes: [state], victims: option.victims };
  }

  /**
   * For a single-node job: nodes in order of the cheapest victim they could offer (a lower bound
   * of any plan there), so the scan stops as soon as no later node can beat the best plan found.
   */
  private findOnOneNode(
    search: Search,
    usable: (state: NodeState) => boolean,
  ): VictimPlan | undefined {
    const tier = search.below ?? search.mine?.priority ?? 0;
    let best: { plan: VictimPlan; cost: Cost } | undefined;
    const { order } = search;
    const cheapest = order.cheapestFirst();
    for (let i = 0; i < cheapest.length; i++) {
      const n = cheapest[i]!;
      if ((best && !mayBeat(order.tierAt(n), order.lostAt(n), best.cost)) || this.exhausted) break;
      if (!search.reclaiming && order.tierAt(n) >= tier) break; // only outranked victims left
      const state = this.index.all[n]!;
      if (state.totalOf(search.model) < search.gpus || !usable(state)) continue;
      const option = this.onNode(state, search);
      if (option && (!best || better(option.cost, best.cost)))
        best = { plan: { nodes: [state], victims: option.victims }, cost: option.cost };
    }
    return best?.plan;
  }

  /** The victim order for a model, as first asked for this cycle. */
  private order(model: string, priorityOnly: boolean): VictimOrder {
    const key = `${model}|${priorityOnly}`;
    let order = this.orders.get(key);
    if (!order) {
      order = new VictimOrder(this.index, model, priorityOnly);
      this.orders.set(key, order);
    }
    return order;
  }
}
