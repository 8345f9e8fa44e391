/**
 * The snapshot objects of jobs that did not change since the last snapshot, kept: the policy
 * keeps what it worked out from a job object for the next cycle and finds it again by the
 * object (libs/scheduling: running-facts.ts, pending-tiers.ts), which it can only do where an
 * unchanged job is the same object. Built afresh, each of 100,000 pending jobs would be read and
 * sorted again every cycle. An object is kept only when every field the policy reads is equal
 * (snapshot objects are never changed once built), so a kept object is exactly the one that
 * would have been built.
 */
import type { PendingJob, RunningJob } from '@gantry/scheduling';

export class KeptObjects<T extends { readonly id: string }> {
  private last = new Map<string, T>();

  constructor(private readonly same: (last: T, built: T) => boolean) {}

  /** The list built now, with each job's last object where that is the same. */
  keep(built: T[]): T[] {
    const next = new Map<string, T>();
    for (let i = 0; i < built.length; i++) {
      const job = built[i]!;
      const last = this.last.get(job.id);
      if (last !== undefined && this.same(last, job)) built[i] = last;
      next.set(job.id, built[i]!);
    }
    this.last = next;
    return built;
  }
}

const sameList = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export const samePending = (a: PendingJob, b: PendingJob): boolean =>
  a.id === b.id &&
  a.queue === b.queue &&
  a.tenant === b.tenant &&
  a.priorityClass === b.priorityClass &&
  a.priority === b.priority &&
  a.submittedAt === b.submittedAt &&
  a.waitingSince === b.waitingSince &&
  a.shape.nodes === b.shape.nodes &&
  a.shape.gpusPerNode === b.shape.gpusPerNode &&
  a.shape.gpuModel === b.shape.gpuModel &&
  a.estimatedRuntimeSeconds === b.estimatedRuntimeSeconds &&
  sameList(a.nominatedNodeIds, b.nominatedNodeIds) &&
  a.engineModelKey === b.engineModelKey;

export const sameRunning = (a: RunningJob, b: RunningJob): boolean =>
  a.id === b.id &&
  a.queue === b.queue &&
  a.tenant === b.tenant &&
  a.priorityClass === b.priorityClass &&
  a.priority === b.priority &&
  a.shape.nodes === b.shape.nodes &&
  a.shape.gpusPerNode === b.shape.gpusPerNode &&
  a.shape.gpuModel === b.shape.gpuModel &&
  a.allocations.length === b.allocations.length &&
  a.allocations.every(
    (x, i) =>
      x.nodeId === b.allocations[i]!.nodeId && sameList(x.gpuIndices, b.allocations[i]!.gpuIndices),
  ) &&
  a.gpuModel === b.gpuModel &&
  a.startedAt === b.startedAt &&
  a.expectedEndAt === b.expectedEndAt &&
  a.lastCheckpointAt === b.lastCheckpointAt &&
  a.protectedUntil === b.protectedUntil &&
  a.stopping === b.stopping &&
  a.preemptions === b.preemptions &&
  a.waitingSince === b.waitingSince;

/**
 * A whole list (the nodes, the priority classes) kept when every item equals the last list's at
 * its place: the policy keys what it keeps on these lists (node positions, its facts per node
 * list and per class list).
 */
export class KeptList<T> {
  private last: readonly T[] | undefined;

  keep(built: readonly T[]): readonly T[] {
    const last = this.last;
    if (last?.length === built.length && built.every((item, i) => sameData(item, last[i])))
      return last;
    this.last = built;
    return built;
  }
}

/** Whether two plain values (numbers, strings, arrays, plain objects of them) are equal. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return keys.every((key) => Object.hasOwn(y, key) && sameData(x[key], y[key]));
}
