/**
 * Placing the jobs that fit now: where (placement.ts; a gang shape that fit nowhere is not
 * searched again in the cycle, as free GPUs only shrink; a warm engine of a job's model first:
 * affinity.ts), and taking the GPUs, which moves the nodes' free GPUs, the spare of the
 * reservations there, and the queue's quota and fair share.
 */
import { Reason } from '@gantry/domain';
import { totalGpus, type PendingJob, type Placement, type Waiting } from '../../model';
import { WarmEngines, type WarmSlot } from './affinity';
import type { NodeIndex, NodeState } from './node-index';
import { findNodes } from './placement';
import type { QuotaTracker } from './quota';
import type { ReservationBook } from './reservations';
import { ShapeTable } from './shape-table';

// Read once: the domain barrel's getters cost a call each.
const { WaitingForResources } = Reason;

export class Placer {
  readonly placements: Placement[] = [];
  /** Gang shapes no domain can hold now. */
  private readonly gangMisses = new ShapeTable<true>();
  private readonly warm: WarmEngines;

  constructor(
    private readonly index: NodeIndex,
    private readonly book: ReservationBook,
    private readonly quota: QuotaTracker,
    /** Told of each placement (the queue's fair share changes). */
    private readonly placedIn: (queue: string) => void,
  ) {
    this.warm = new WarmEngines(index);
  }

  /**
   * For a single-node job that runs on an engine: an idle warm engine of its model, with its
   * GPU count, on GPUs of `model` all free now, where the reservations let it start; else
   * undefined (and always for other jobs, at the cost of a field read).
   */
  warmFor(job: PendingJob, model: string, endAt: number): WarmSlot | undefined {
    if (!job.engineModelKey || job.shape.nodes !== 1) return undefined;
    return this.warm.find(job, model, this.book, endAt);
  }

  /** Where the job fits now on the model; undefined if nowhere. */
  nodesFor(job: PendingJob, model: string, endAt: number): NodeState[] | undefined {
    const nominated = (job.nominatedNodeIds?.length ?? 0) > 0;
    if (job.shape.nodes === 1 || nominated)
      return findNodes(job, model, this.index, this.book, endAt);
    const { nodes: count, gpusPerNode } = job.shape;
    if (this.gangMisses.get(model, count, gpusPerNode)) return undefined;
    const nodes = findNodes(job, model, this.index, this.book, endAt);
    if (!nodes) this.gangMisses.set(model, count, gpusPerNode, true);
    return nodes;
  }

  place(
    job: PendingJob,
    model: string,
    nodes: readonly NodeState[],
    borrowing: boolean,
    endAt: number,
    /** For a single-node job: the GPUs to give it (a warm engine's, all free); else the lowest. */
    exactly?: readonly number[],
  ): void {
    const g = job.shape.gpusPerNode;
    const allocations = nodes.map((state) => {
      this.book.took(state, model, g, endAt);
      return {
        nodeId: state.node.id,
        nodeName: state.node.name,
        gpuIndices: this.index.take(state, model, g, endAt, exactly),
      };
    });
    this.quota.add(job.queue, model, totalGpus(job.shape));
    this.placedIn(job.queue);
    this.placements.push({ jobId: job.id, allocations, borrowing });
  }

  /** Places a job without GPUs on the first schedulable node; its reason when there is none. */
  placeAnywhere(job: PendingJob): Waiting | undefined {
    const state = this.index.domains.values().next().value?.[0];
    if (!state) {
      const message = 'no schedulable node is registered';
      return { jobId: job.id, reason: WaitingForResources, message };
    }
    this.placements.push({
      jobId: job.id,
      allocations: [{ nodeId: state.node.id, nodeName: state.node.name, gpuIndices: [] }],
      borrowing: false,
    });
    return undefined;
  }
}
