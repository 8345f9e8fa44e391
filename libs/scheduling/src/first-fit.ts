/**
 * First fit: the foundation's placement policy. Jobs in priority order (then submit time);
 * each goes on the first schedulable node with enough free GPUs of its model, taking the lowest
 * free indices. A job that does not fit is skipped with a reason, and the jobs behind it are
 * still tried (no head-of-line blocking). Pure: same snapshot, same decision.
 */
import { Reason } from '@gantry/domain';
import type { Snapshot, SnapshotJob, SnapshotNode } from './snapshot';

export interface PlacementDecision {
  readonly jobId: string;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly gpuIndices: readonly number[];
}

export interface WaitingDecision {
  readonly jobId: string;
  readonly reason: string;
  readonly message: string;
}

export interface Decision {
  readonly placements: readonly PlacementDecision[];
  readonly waiting: readonly WaitingDecision[];
}

export function schedulingOrder(a: SnapshotJob, b: SnapshotJob): number {
  return (
    b.priority - a.priority ||
    a.submittedAt - b.submittedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function matching(node: SnapshotNode, model: string | null): (index: number) => boolean {
  const models = new Map(node.gpus.map((g) => [g.index, g.model]));
  return (index) => model === null || models.get(index) === model;
}

function describe(job: SnapshotJob): string {
  return `${job.gpus} GPU${job.gpus === 1 ? '' : 's'}${job.gpuModel ? ` of ${job.gpuModel}` : ''}`;
}

export function decideFirstFit(snapshot: Snapshot): Decision {
  const free = new Map(snapshot.nodes.map((n) => [n.id, [...n.freeGpuIndices]]));
  const nodes = snapshot.nodes.filter((n) => n.schedulable);
  const placements: PlacementDecision[] = [];
  const waiting: WaitingDecision[] = [];

  for (const job of [...snapshot.pending].sort(schedulingOrder)) {
    let placed = false;
    let mostFree = 0;
    let largest = 0;
    for (const node of nodes) {
      const fits = matching(node, job.gpuModel);
      const available = free.get(node.id)!.filter(fits);
      mostFree = Math.max(mostFree, available.length);
      largest = Math.max(largest, node.gpus.filter((g) => fits(g.index)).length);
      if (available.length < job.gpus) continue;
      const taken = available.slice(0, job.gpus);
      free.set(
        node.id,
        free.get(node.id)!.filter((index) => !taken.includes(index)),
      );
      placements.push({ jobId: job.id, nodeId: node.id, nodeName: node.name, gpuIndices: taken });
      placed = true;
      break;
    }
    if (placed) continue;
    if (nodes.length === 0) {
      waiting.push({
        jobId: job.id,
        reason: Reason.WaitingForResources,
        message: 'no schedulable node is registered',
      });
    } else if (largest < job.gpus) {
      waiting.push({
        jobId: job.id,
        reason: Reason.Unschedulable,
        message: `needs ${describe(job)} on one node; the largest node has ${largest}`,
      });
    } else {
      waiting.push({
        jobId: job.id,
        reason: Reason.WaitingForResources,
        message: `needs ${describe(job)} on one node; the most free on any node is ${mostFree}`,
      });
    }
  }
  return { placements, waiting };
}
