/**
 * FIFO: the baseline the simulator measures Gantry's policy against (YARN-CS / a plain batch
 * queue). Strict submit order over every queue and class (priorities, quotas and fair share are
 * ignored); first fit: a job goes on the lowest-index node with enough free GPUs of one model,
 * a multi-node job on the first `nodes` fitting nodes of one fabric domain (fifo-gang.ts); no
 * backfill: the first job that does not fit stops the cycle and everything behind it waits;
 * no preemption. A job that could not fit even on an empty cluster is `Unschedulable` and is
 * passed over (it would block the queue forever). Pure: same snapshot, same decision.
 */
import { Reason } from '@gantry/domain';
import type {
  ClusterSnapshot,
  Decision,
  PendingJob,
  Placement,
  SchedulingPolicy,
  Waiting,
} from '../model';
import { FreeGpus } from './fifo-free-gpus';
import { fabricDomains, findGang, gangEverFits } from './fifo-gang';

export const FIFO_POLICY_NAME = 'fifo';

// Read once: the domain barrel's getters would cost a call per waiting job in the hot loop.
const { WaitingForResources, WaitingForGang, Unschedulable } = Reason;

export function createFifoPolicy(): SchedulingPolicy {
  return { name: FIFO_POLICY_NAME, decide: decideFifo };
}

function submitOrder(a: PendingJob, b: PendingJob): number {
  return a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The pending jobs in submit order; a list already in order (the usual case) is not sorted. */
export function inSubmitOrder(pending: readonly PendingJob[]): readonly PendingJob[] {
  for (let i = 1; i < pending.length; i++)
    if (submitOrder(pending[i - 1]!, pending[i]!) > 0) return [...pending].sort(submitOrder);
  return pending;
}

function describeShape(job: PendingJob): string {
  const model = job.shape.gpuModel ? ` ${job.shape.gpuModel}` : '';
  return job.shape.nodes === 1
    ? `${job.shape.gpusPerNode}${model} GPU${job.shape.gpusPerNode === 1 ? '' : 's'} on one node`
    : `${job.shape.nodes} nodes x ${job.shape.gpusPerNode}${model} GPUs in one fabric domain`;
}

export function decideFifo(snapshot: ClusterSnapshot): Decision {
  const free = new FreeGpus(snapshot);
  const domains = fabricDomains(free.nodes, snapshot.config.fabricLabel);
  const placements: Placement[] = [];
  const waiting: Waiting[] = [];
  const maxCapacity = new Map(
    free.models.map((m) => [m, Math.max(0, ...free.nodes.map((_, p) => free.capacityOf(p, m)))]),
  );
  let behind: string | null = null;

  for (const job of inSubmitOrder(snapshot.pending)) {
    const { shape } = job;
    if (behind !== null) {
      if (waiting.length < snapshot.config.maxConsidered)
        waiting.push({ jobId: job.id, reason: WaitingForResources, message: behind });
      continue;
    }
    if (shape.nodes === 1) {
      let best = -1;
      let bestModel = '';
      for (const model of free.candidates(shape.gpuModel)) {
        const position = free.firstNode(shape.gpusPerNode, model);
        if (position >= 0 && (best < 0 || position < best)) [best, bestModel] = [position, model];
      }
      if (best >= 0) {
        const node = free.nodes[best]!;
        const gpuIndices = free.take(best, bestModel, shape.gpusPerNode);
        placements.push({
          jobId: job.id,
          allocations: [{ nodeId: node.id, nodeName: node.name, gpuIndices }],
          borrowing: false,
        });
        continue;
      }
    } else {
      const gang = findGang(free, domains, shape);
      if (gang) {
        placements.push({
          jobId: job.id,
          allocations: gang.positions.map((position) => ({
            nodeId: free.nodes[position]!.id,
            nodeName: free.nodes[position]!.name,
            gpuIndices: free.take(position, gang.model, shape.gpusPerNode),
          })),
          borrowing: false,
        });
        continue;
      }
    }
    const everFits =
      shape.nodes === 1
        ? free
            .candidates(shape.gpuModel)
            .some((m) => (maxCapacity.get(m) ?? 0) >= shape.gpusPerNode)
        : gangEverFits(free, domains, shape);
    if (!everFits) {
      waiting.push({
        jobId: job.id,
        reason: Unschedulable,
        message: `no schedulable node${shape.nodes === 1 ? '' : 's'} could ever hold ${describeShape(job)}`,
      });
      continue;
    }
    const gang = shape.nodes > 1;
    waiting.push({
      jobId: job.id,
      reason: gang ? WaitingForGang : WaitingForResources,
      message: gang
        ? `needs ${describeShape(job)}; FIFO holds every job behind it`
        : `needs ${describeShape(job)}; the most free on a node is ${free.mostFreeOnANode()}; FIFO holds every job behind it`,
    });
    behind = `FIFO: waits behind ${job.id}, the first job in submit order that does not fit`;
  }
  return { placements, preemptions: [], nominations: [], waiting, reservations: [] };
}
