/**
 * What victim searches weigh and return: the cost of a plan (highest class it stops, work lost,
 * jobs stopped; lower is better, in that order), the per-cycle budget of node visits, and the
 * parts of a gang search that need no victims: which nodes it visits within the budget, and the
 * best nodes of one domain once their options are known.
 */
import type { PendingJob, PreemptionCause, PriorityClass, RunningJob } from '../../model';
import type { NodeState } from './node-state';
import type { VictimOrder } from './victim-order';

export interface Victim {
  readonly job: RunningJob;
  readonly cause: PreemptionCause;
  /**
   * What ranks it (lower goes first, and a plan costs its highest): its class priority, or in
   * an outbid search (all victims of the preemptor's class) its job priority, the bid.
   */
  readonly tier: number;
  /** Taken by a higher bid of its own opportunistic class (an outbid search). */
  readonly outbid?: boolean;
  /** GPU-seconds of work since its last checkpoint. */
  readonly lostWork: number;
}

export interface VictimPlan {
  readonly nodes: readonly NodeState[];
  readonly victims: readonly Victim[];
}

export interface Cost {
  readonly tier: number;
  readonly lost: number;
  readonly count: number;
}

/** What one search is for, worked out once rather than per node it looks at. */
export interface Search {
  readonly preemptor: PendingJob;
  /** The preemptor's class (a search for a job of an unknown class finds no victims). */
  readonly mine: PriorityClass | undefined;
  readonly model: string;
  /** GPUs needed per node. */
  readonly gpus: number;
  readonly reclaiming: boolean;
  readonly forPriority: boolean;
  /** The nodes it may look at, cheapest first, with a bound of what each could free. */
  readonly order: VictimOrder;
  /** Victims must be of a class below this; undefined for a reclaim (any class). */
  readonly below: number | undefined;
  /**
   * An outbid search (ADR 12): victims are the preemptor's own class's jobs of a strictly lower
   * job priority (bid), ranked by it; `below` is then unused.
   */
  readonly outbid?: boolean;
  /** Jobs that started after starving are left out (the first pass: they are a last resort). */
  readonly spareStarved: boolean;
  /**
   * For starvation preemption: the starving preemptor's waitingSince (epoch ms); victims are
   * jobs of any preemptible class that waited less than it has (ADR 13). Undefined otherwise.
   */
  readonly starvingSince: number | undefined;
}

/** What one node offers a search: the victims to stop there and what that costs. */
export interface NodeOption {
  readonly state: NodeState;
  readonly victims: readonly Victim[];
  readonly cost: Cost;
}

export const FREE: Cost = { tier: Number.NEGATIVE_INFINITY, lost: 0, count: 0 };

/** Whether a node whose cheapest victim has `tier` and `lost` may still beat `best`. */
export const mayBeat = (tier: number, lost: number, best: Cost): boolean =>
  tier < best.tier ||
  (tier === best.tier && (lost < best.lost || (lost === best.lost && best.count > 1)));

export const better = (a: Cost, b: Cost): boolean =>
  a.tier !== b.tier ? a.tier < b.tier : a.lost !== b.lost ? a.lost < b.lost : a.count < b.count;

/**
 * Nodes the victim searches of one cycle may look at in all. Searches are the costly part of a
 * cycle on a large, full cluster; past this budget the remaining jobs wait for the next cycle
 * (a job is never refused for good because of it).
 */
export const NODE_VISITS_PER_CYCLE = 5_000;

/**
 * The nodes a gang search visits, walking the domains in order, visiting the nodes `eligible`
 * takes, with `left` visits left: per domain, its eligible nodes; undefined when the budget runs
 * out with nodes still to go (the search then ends with nothing, its budget spent). Knowing this
 * before visiting spares a search that runs out the rating of thousands of nodes' victims.
 */
export function gangVisits(
  domains: readonly (readonly NodeState[])[],
  eligible: (state: NodeState) => boolean,
  left: number,
): NodeState[][] | undefined {
  const visits: NodeState[][] = [];
  for (let d = 0; d < domains.length; d++) {
    const members = domains[d]!;
    const visited: NodeState[] = [];
    for (let m = 0; m < members.length; m++) {
      const state = members[m]!;
      if (left <= 0) return undefined;
      if (!eligible(state)) continue;
      visited.push(state);
      left--;
    }
    visits.push(visited);
  }
  return visits;
}

/** The `nodes` cheapest options of one domain as a plan (a victim on two of them counts once). */
export function domainPlan(
  options: NodeOption[],
  nodes: number,
): { plan: VictimPlan; cost: Cost } | undefined {
  if (options.length < nodes) return undefined;
  options.sort((a, b) =>
    better(a.cost, b.cost) ? -1 : better(b.cost, a.cost) ? 1 : a.state.position - b.state.position,
  );
  const chosen = options.slice(0, nodes);
  const victims = [...new Map(chosen.flatMap((o) => o.victims).map((v) => [v.job.id, v])).values()];
  const cost = {
    tier: Math.max(...chosen.map((o) => o.cost.tier)),
    lost: victims.reduce((n, v) => n + v.lostWork, 0),
    count: victims.length,
  };
  return { plan: { nodes: chosen.map((o) => o.state), victims }, cost };
}
