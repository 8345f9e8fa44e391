/**
 * Reservations for blocked jobs (backfill). A reservation holds, on each of its nodes, the GPUs
 * the job needs from the time enough of them are expected to be free. A later job may start on
 * a reserved node now only if it is expected to end before that time, or if it fits in what the
 * node has to spare at that time; so backfill never delays a reservation (as far as runtime
 * estimates go: a job with no estimate is assumed never to end).
 */
import type { NodeState } from './node-state';

interface NodeHold {
  readonly jobId: string;
  readonly at: number;
  readonly model: string;
  /** GPUs of the model free at `at` beyond what the reservation needs. */
  spare: number;
}

export interface ReservedSlot {
  readonly at: number;
  readonly nodes: readonly NodeState[];
}

export class ReservationBook {
  private readonly holds = new Map<string, NodeHold>();
  count = 0;

  /** Whether a job may take `gpus` of `model` on the node now, expected to end at `endAt`. */
  allows(state: NodeState, model: string, gpus: number, endAt: number, jobId: string): boolean {
    const hold = this.holds.get(state.node.id);
    if (!hold || hold.jobId === jobId || hold.model !== model || endAt <= hold.at) return true;
    return gpus <= hold.spare;
  }

  /** Records that a job took GPUs on the node (it eats into the spare if it outlasts the hold). */
  took(state: NodeState, model: string, gpus: number, endAt: number): void {
    const hold = this.holds.get(state.node.id);
    if (hold && hold.model === model && endAt > hold.at) hold.spare -= gpus;
  }

  isHeld(state: NodeState): boolean {
    return this.holds.has(state.node.id);
  }

  /** Holds the slot's nodes for the job from the slot's time. */
  hold(jobId: string, model: string, gpus: number, slot: ReservedSlot): void {
    this.count++;
    for (const state of slot.nodes) {
      state.changes++; // a held node is no longer offered to other reservations
      const spare = Number.isFinite(slot.at) ? state.freeAt(model, slot.at) - gpus : 0;
      this.holds.set(state.node.id, { jobId, at: slot.at, model, spare: Math.max(0, spare) });
    }
  }
}
