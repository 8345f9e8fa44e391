/**
 * Where a job fits now: a single-node job on the tightest node with enough free GPUs (best fit,
 * so small jobs fill partly used nodes and whole nodes stay free for big jobs); a multi-node job
 * on the tightest `nodes` nodes of one fabric domain, all or nothing. Nodes a reservation holds
 * are used only as far as the reservation allows.
 */
import type { PendingJob } from '../../model';
import type { NodeIndex, NodeState } from './node-index';
import type { ReservationBook } from './reservations';

export function findNodes(
  job: PendingJob,
  model: string,
  index: NodeIndex,
  book: ReservationBook,
  endAt: number,
): NodeState[] | undefined {
  const { nodes, gpusPerNode } = job.shape;
  if (nodes === 1) {
    const byFree = index.byFree(model);
    for (let free = Math.max(gpusPerNode, 0); free < byFree.length; free++) {
      const { nodes: states, size, first } = byFree[free]!;
      if (size === 0) continue; // the usual case on a full cluster
      for (let i = first; i < states.length; i++) {
        const state = states[i];
        if (state && book.allows(state, model, gpusPerNode, endAt, job.id)) return [state];
      }
    }
    return undefined;
  }
  let best: NodeState[] | undefined;
  let bestFree = Number.POSITIVE_INFINITY;
  // One list reused for every domain (a gang scans every domain: a list each made most of the
  // garbage of a cycle's placements); a copy only of a domain that beats the best so far.
  const fits = gangScratch;
  const domains = index.domainList;
  for (let d = 0; d < domains.length; d++) {
    const members = domains[d]!;
    fits.length = 0;
    for (let i = 0; i < members.length; i++) {
      const s = members[i]!;
      if (s.freeCount(model) >= gpusPerNode && book.allows(s, model, gpusPerNode, endAt, job.id))
        fits.push(s);
    }
    if (fits.length < nodes) continue;
    fits.sort((a, b) => a.freeCount(model) - b.freeCount(model) || a.position - b.position);
    let free = 0;
    for (let i = 0; i < nodes; i++) free += fits[i]!.freeCount(model);
    if (free < bestFree) {
      best = fits.slice(0, nodes);
      bestFree = free;
    }
  }
  fits.length = 0;
  return best;
}

const gangScratch: NodeState[] = [];

/** For a job that fits nowhere now: the most nodes of one domain free enough together. */
export function mostFreeTogether(job: PendingJob, model: string, index: NodeIndex): number {
  let most = 0;
  const domains = index.domainList;
  for (let d = 0; d < domains.length; d++) {
    const members = domains[d]!;
    let count = 0;
    for (let i = 0; i < members.length; i++)
      if (members[i]!.freeCount(model) >= job.shape.gpusPerNode) count++;
    most = Math.max(most, count);
  }
  return most;
}

/** Whether any set of schedulable nodes could ever hold the job. */
export function couldEverFit(job: PendingJob, model: string, index: NodeIndex): boolean {
  const domains = index.domainList;
  for (let d = 0; d < domains.length; d++) {
    const members = domains[d]!;
    let count = 0;
    for (let i = 0; i < members.length; i++)
      if (members[i]!.totalOf(model) >= job.shape.gpusPerNode) count++;
    if (count >= job.shape.nodes) return true;
  }
  return false;
}
