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
  const allowed = (state: NodeState): boolean =>
    book.allows(state, model, gpusPerNode, endAt, job.id);
  let best: NodeState[] | undefined;
  let bestFree = Number.POSITIVE_INFINITY;
  for (const members of index.domains.values()) {
    const fits = members.filter((s) => s.freeCount(model) >= gpusPerNode && allowed(s));
    if (fits.length < nodes) continue;
    fits.sort((a, b) => a.freeCount(model) - b.freeCount(model) || a.position - b.position);
    const chosen = fits.slice(0, nodes);
    const free = chosen.reduce((n, s) => n + s.freeCount(model), 0);
    if (free < bestFree) {
      best = chosen;
      bestFree = free;
    }
  }
  return best;
}

/** For a job that fits nowhere now: the most nodes of one domain free enough together. */
export function mostFreeTogether(job: PendingJob, model: string, index: NodeIndex): number {
  let most = 0;
  for (const members of index.domains.values()) {
    most = Math.max(
      most,
      members.filter((s) => s.freeCount(model) >= job.shape.gpusPerNode).length,
    );
  }
  return most;
}

/** Whether any set of schedulable nodes could ever hold the job. */
export function couldEverFit(job: PendingJob, model: string, index: NodeIndex): boolean {
  for (const members of index.domains.values()) {
    if (members.filter((s) => s.totalOf(model) >= job.shape.gpusPerNode).length >= job.shape.nodes)
      return true;
  }
  return false;
}
