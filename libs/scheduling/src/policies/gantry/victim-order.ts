/**
 * The nodes a victim search may look at and the cheapest victim each could offer: GPUs already
 * freeing first, then the lowest class, then the least work since the last checkpoint. It is
 * worked out once per cycle, model and kind of search, as first asked for (victims chosen later
 * in the cycle only make a node dearer, so the bound stays a lower bound).
 */
import type { PriorityClass, RunningJob } from '../../model';
import { gpusHeld } from './holdings';
import type { NodeIndex, NodeState } from './node-index';

export interface OrderEntry {
  readonly state: NodeState;
  readonly tier: number;
  readonly lost: number;
}

/** GPU-seconds of work a running job loses if stopped now (since its last checkpoint). */
export function lostWork(job: RunningJob, gpus: number, now: number): number {
  return gpus * ((now - (job.lastCheckpointAt ?? job.startedAt)) / 1000);
}

/** Whether priority preemption may take the job now (reclaim ignores these limits). */
export function priorityMayTake(
  job: RunningJob,
  cls: PriorityClass,
  now: number,
  maxPerJob: number,
): boolean {
  const ranLongEnough =
    now >= job.startedAt + cls.minRuntimeSeconds * 1000 && now >= job.protectedUntil;
  return ranLongEnough && (job.preemptions ?? 0) < maxPerJob;
}

export class VictimOrder {
  private readonly entries: OrderEntry[] = [];
  private readonly tiers = new Map<NodeState, number>();
  private sorted = false;

  /**
   * Schedulable nodes that have GPUs freeing or preemptible jobs of the model; with
   * `priorityOnly`, counting only jobs priority preemption may take now.
   */
  constructor(
    index: NodeIndex,
    model: string,
    priorityOnly: boolean,
    classes: ReadonlyMap<string, PriorityClass>,
    now: number,
    maxPerJob: number,
  ) {
    // Each allocation's job as a victim, worked out in the jobs' order (see Holdings)...
    const { jobs, order, start } = index.holdings;
    const usable = new Uint8Array(jobs.length);
    const tiers = new Float64Array(jobs.length);
    const losses = new Float64Array(jobs.length);
    jobs.forEach((job, k) => {
      if (job.stopping || job.gpuModel !== model) return;
      const cls = classes.get(job.priorityClass);
      if (!cls?.preemptible) return;
      if (priorityOnly && !priorityMayTake(job, cls, now, maxPerJob)) return;
      usable[k] = 1;
      tiers[k] = cls.priority;
      losses[k] = lostWork(job, gpusHeld(job), now);
    });
    // ...then per node, its cheapest, over its jobs in their order.
    for (const members of index.domains.values()) {
      for (const state of members) {
        const freeing = state.stoppingOf(model) > 0;
        let tier = freeing ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        let lost = freeing ? 0 : Number.POSITIVE_INFINITY;
        for (let i = start[state.group]!; i < start[state.group + 1]!; i++) {
          const k = order[i]!;
          if (!usable[k]) continue;
          if (tiers[k]! < tier || (tiers[k] === tier && losses[k]! < lost)) {
            tier = tiers[k]!;
            lost = losses[k]!;
          }
        }
        if (tier === Number.POSITIVE_INFINITY) continue;
        this.entries.push({ state, tier, lost });
        this.tiers.set(state, tier);
      }
    }
  }

  /** The nodes cheapest first (sorted when first asked for: gang searches never ask). */
  cheapestFirst(): readonly OrderEntry[] {
    if (!this.sorted) {
      this.entries.sort(
        (a, b) => a.tier - b.tier || a.lost - b.lost || a.state.position - b.state.position,
      );
      this.sorted = true;
    }
    return this.entries;
  }

  /** The class priority of the node's cheapest victim (-Infinity: GPUs freeing); else undefined. */
  tierOf(state: NodeState): number | undefined {
    return this.tiers.get(state);
  }
}
