/**
 * Choosing victims so a job can start, losing the least work. Only preemptible jobs are
 * victims, and only for a job of a higher class (priority preemption: not before the victim's
 * minimum runtime, nor while it is protected after a restart that followed a preemption) or
 * for a queue taking back its guarantee from borrowers (reclaim: bounded by the victims' grace
 * period). A job preempted `maxPerJob` times already is not chosen for priority again, and
 * another queue's job is a victim only if its queue keeps its guarantee without it. Per node, victims are taken lowest class first, then least work since their last
 * checkpoint; the node (or, for a gang, the nodes of one fabric domain) that loses least wins.
 */
import type { PendingJob, PreemptionCause, PriorityClass, RunningJob } from '../../model';
import type { NodeIndex, NodeState } from './node-index';
import type { QuotaTracker } from './quota';

export interface Victim {
  readonly job: RunningJob;
  readonly cause: PreemptionCause;
  readonly tier: number;
  /** GPU-seconds of work since its last checkpoint. */
  readonly lostWork: number;
}

export interface VictimPlan {
  readonly nodes: readonly NodeState[];
  readonly victims: readonly Victim[];
}

interface Cost {
  readonly tier: number;
  readonly lost: number;
  readonly count: number;
}

const FREE: Cost = { tier: Number.NEGATIVE_INFINITY, lost: 0, count: 0 };

/** Whether a node whose cheapest victim is `bound` may still offer a plan better than `best`. */
const mayBeat = (bound: { tier: number; lost: number }, best: Cost): boolean =>
  bound.tier < best.tier ||
  (bound.tier === best.tier &&
    (bound.lost < best.lost || (bound.lost === best.lost && best.count > 1)));

const better = (a: Cost, b: Cost): boolean =>
  a.tier !== b.tier ? a.tier < b.tier : a.lost !== b.lost ? a.lost < b.lost : a.count < b.count;

/**
 * Nodes the victim searches of one cycle may look at in all. Searches are the costly part of a
 * cycle on a large, full cluster; past this budget the remaining jobs wait for the next cycle
 * (a job is never refused for good because of it).
 */
export const NODE_VISITS_PER_CYCLE = 5_000;

export class VictimFinder {
  private visits = 0;

  /** Whether this cycle's search budget is spent. */
  get exhausted(): boolean {
    return this.visits >= NODE_VISITS_PER_CYCLE;
  }

  constructor(
    private readonly index: NodeIndex,
    running: readonly RunningJob[],
    private readonly classes: ReadonlyMap<string, PriorityClass>,
    private readonly quota: QuotaTracker,
    private readonly now: number,
    private readonly maxPerJob: number,
  ) {
    let lowest = Number.POSITIVE_INFINITY;
    for (const job of running) {
      const cls = classes.get(job.priorityClass);
      if (cls?.preemptible && !job.stopping) lowest = Math.min(lowest, cls.priority);
    }
    this.lowestTier = lowest;
  }

  /** Whether any running job could be preempted for priority by a job of class priority `tier`. */
  hasVictimBelow(tier: number): boolean {
    return this.lowestTier < tier;
  }

  private readonly preempted = new Set<string>();
  /** The lowest class priority among running preemptible jobs (Infinity when there are none). */
  private readonly lowestTier: number;

  /** A victim chosen this cycle: not chosen again, and its GPUs count as freeing. */
  markPreempted(job: RunningJob, index: NodeIndex): void {
    this.preempted.add(job.id);
    const gpus = job.allocations.reduce((n, a) => n + a.gpuIndices.length, 0);
    this.quota.add(job.queue, job.gpuModel, -gpus); // its queue no longer counts it
    for (const allocation of job.allocations) {
      const state = index.stateOf(allocation.nodeId);
      state?.addStopping(job.gpuModel, allocation.gpuIndices.length);
    }
  }

  private victim(
    job: RunningJob,
    preemptor: PendingJob,
    reclaiming: boolean,
    forPriority: boolean,
  ): Victim | undefined {
    if (job.stopping || this.preempted.has(job.id)) return undefined;
    const cls = this.classes.get(job.priorityClass);
    const mine = this.classes.get(preemptor.priorityClass);
    if (!cls?.preemptible || !mine) return undefined;
    const gpus = job.allocations.reduce((n, a) => n + a.gpuIndices.length, 0);
    const lostWork = gpus * ((this.now - (job.lastCheckpointAt ?? job.startedAt)) / 1000);
    const sameQueue = job.queue === preemptor.queue;
    // Another queue's guaranteed GPUs are never taken: only what it borrows, and never so much
    // that it falls below its guarantee (it would reclaim at once: a preemption ping-pong).
    const spare = this.quota.canGive(job.queue, job.gpuModel, gpus);
    if (reclaiming && !sameQueue && spare && this.quota.isBorrowing(job.queue, job.gpuModel)) {
      return { job, cause: 'Reclaim', tier: cls.priority, lostWork };
    }
    const outranked = mine.priority > cls.priority;
    const ranLongEnough =
      this.now >= job.startedAt + cls.minRuntimeSeconds * 1000 && this.now >= job.protectedUntil;
    const notWornOut = (job.preemptions ?? 0) < this.maxPerJob;
    return forPriority && outranked && ranLongEnough && notWornOut && (sameQueue || spare)
      ? { job, cause: 'Priority', tier: cls.priority, lostWork }
      : undefined;
  }

  /** The cheapest victims on one node that leave `gpus` of `model` free once they stop. */
  private onNode(
    state: NodeState,
    model: string,
    gpus: number,
    preemptor: PendingJob,
    reclaiming: boolean,
    forPriority: boolean,
  ): { victims: Victim[]; cost: Cost } | undefined {
    this.visits++;
    let available = state.freeCount(model) + state.stoppingOf(model);
    if (available >= gpus) return { victims: [], cost: FREE }; // free or freeing already
    const candidates = state.jobs
      .filter((job) => job.gpuModel === model)
      .map((job) => this.victim(job, preemptor, reclaiming, forPriority))
      .filter((v): v is Victim => v !== undefined)
      .sort((a, b) => a.tier - b.tier || a.lostWork - b.lostWork || (a.job.id < b.job.id ? -1 : 1));
    const victims: Victim[] = [];
    for (const candidate of candidates) {
      if (available >= gpus) break;
      victims.push(candidate);
      available += candidate.job.allocations
        .filter((a) => a.nodeId === state.node.id)
        .reduce((n, a) => n + a.gpuIndices.length, 0);
    }
    if (available < gpus) return undefined;
    return {
      victims,
      cost: {
        tier: Math.max(...victims.map((v) => v.tier)),
        lost: victims.reduce((n, v) => n + v.lostWork, 0),
        count: victims.length,
      },
    };
  }

  /**
   * The plan that loses least, for `nodes` nodes of one domain; undefined when none exists. A
   * plan without victims means enough GPUs are free or already being freed: wait for them.
   */
  find(
    index: NodeIndex,
    preemptor: PendingJob,
    model: string,
    reclaiming: boolean,
    forPriority: boolean,
    usable: (state: NodeState) => boolean,
  ): VictimPlan | undefined {
    const { nodes, gpusPerNode } = preemptor.shape;
    if (nodes === 1)
      return this.findOnOneNode(index, preemptor, model, reclaiming, forPriority, usable);
    let best: { plan: VictimPlan; cost: Cost } | undefined;
    const tier = this.classes.get(preemptor.priorityClass)?.priority ?? 0;
    const candidates = new Set(
      this.order(index, model, !reclaiming)
        .filter((e) => reclaiming || e.tier < tier)
        .map((e) => e.state),
    );
    for (const members of index.domains.values()) {
      const options: Array<{ state: NodeState; victims: Victim[]; cost: Cost }> = [];
      for (const state of members) {
        if (this.exhausted) return undefined;
        if (!candidates.has(state) && state.freeCount(model) < gpusPerNode) continue;
        if (state.totalOf(model) < gpusPerNode || !usable(state)) continue;
        const option = this.onNode(state, model, gpusPerNode, preemptor, reclaiming, forPriority);
        if (option) options.push({ state, ...option });
      }
      if (options.length < nodes) continue;
      options.sort((a, b) =>
        better(a.cost, b.cost)
          ? -1
          : better(b.cost, a.cost)
            ? 1
            : a.state.position - b.state.position,
      );
      const chosen = options.slice(0, nodes);
      const victims = [
        ...new Map(chosen.flatMap((o) => o.victims).map((v) => [v.job.id, v])).values(),
      ];
      const cost = {
        tier: Math.max(...chosen.map((o) => o.cost.tier)),
        lost: victims.reduce((n, v) => n + v.lostWork, 0),
        count: victims.length,
      };
      if (!best || better(cost, best.cost))
        best = { plan: { nodes: chosen.map((o) => o.state), victims }, cost };
    }
    return best?.plan;
  }

  /**
   * For a single-node job: nodes in order of the cheapest victim they could offer (a lower bound
   * of any plan there), so the scan stops as soon as no later node can beat the best plan found.
   */
  private findOnOneNode(
    index: NodeIndex,
    preemptor: PendingJob,
    model: string,
    reclaiming: boolean,
    forPriority: boolean,
    usable: (state: NodeState) => boolean,
  ): VictimPlan | undefined {
    const tier = this.classes.get(preemptor.priorityClass)?.priority ?? 0;
    let best: { plan: VictimPlan; cost: Cost } | undefined;
    for (const entry of this.order(index, model, !reclaiming)) {
      if ((best && !mayBeat(entry, best.cost)) || this.exhausted) break;
      if (!reclaiming && entry.tier >= tier) break; // only outranked victims are left to try
      const state = entry.state;
      if (state.totalOf(model) < preemptor.shape.gpusPerNode || !usable(state)) continue;
      const option = this.onNode(
        state,
        model,
        preemptor.shape.gpusPerNode,
        preemptor,
        reclaiming,
        forPriority,
      );
      if (option && (!best || better(option.cost, best.cost)))
        best = { plan: { nodes: [state], victims: option.victims }, cost: option.cost };
    }
    return best?.plan;
  }

  private readonly orders = new Map<
    string,
    Array<{ state: NodeState; tier: number; lost: number }>
  >();

  /** Whether priority preemption may take the job now (reclaim ignores these limits). */
  private priorityMayTake(job: RunningJob, cls: PriorityClass): boolean {
    const ranLongEnough =
      this.now >= job.startedAt + cls.minRuntimeSeconds * 1000 && this.now >= job.protectedUntil;
    return ranLongEnough && (job.preemptions ?? 0) < this.maxPerJob;
  }

  /**
   * Schedulable nodes that have GPUs freeing or preemptible jobs of the model, cheapest first;
   * with `priorityOnly`, counting only jobs priority preemption may take now.
   */
  private order(
    index: NodeIndex,
    model: string,
    priorityOnly: boolean,
  ): Array<{ state: NodeState; tier: number; lost: number }> {
    const key = `${model}|${priorityOnly}`;
    let order = this.orders.get(key);
    if (order) return order;
    order = [];
    for (const members of index.domains.values()) {
      for (const state of members) {
        let tier =
          state.stoppingOf(model) > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        let lost = tier === Number.NEGATIVE_INFINITY ? 0 : Number.POSITIVE_INFINITY;
        for (const job of state.jobs) {
          const cls = this.classes.get(job.priorityClass);
          if (job.stopping || job.gpuModel !== model || !cls?.preemptible) continue;
          if (priorityOnly && !this.priorityMayTake(job, cls)) continue;
          const jobLost =
            job.allocations.reduce((n, a) => n + a.gpuIndices.length, 0) *
            ((this.now - (job.lastCheckpointAt ?? job.startedAt)) / 1000);
          if (cls.priority < tier || (cls.priority === tier && jobLost < lost))
            [tier, lost] = [cls.priority, jobLost];
        }
        if (tier !== Number.POSITIVE_INFINITY) order.push({ state, tier, lost });
      }
    }
    order.sort((a, b) => a.tier - b.tier || a.lost - b.lost || a.state.position - b.state.position);
    this.orders.set(key, order);
    return order;
  }
}
