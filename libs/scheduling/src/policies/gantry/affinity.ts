/**
 * Engine affinity (ADR 9): the idle warm engines of the schedulable nodes, indexed once per cycle
 * by model key and GPU count, so a job that runs on an engine finds a node where its model is
 * warm in a few steps, and a job that does not never looks. The index is built on the first
 * lookup, so a cycle without engine jobs (or without warm engines) costs nothing more.
 *
 * An engine is offered only as the agent would reuse it: idle, every one of its GPUs free now (of
 * the model asked for), as many GPUs as the job asks for. Free GPUs only shrink during a cycle,
 * so an engine found with a GPU taken is dropped for the rest of it.
 */
import type { PendingJob } from '../../model';
import type { NodeIndex, NodeState } from './node-index';
import type { ReservationBook } from './reservations';

/** An idle warm engine: the node, the GPU model of its GPUs and its GPU indices (ascending). */
export interface WarmSlot {
  readonly state: NodeState;
  readonly gpuModel: string;
  readonly gpuIndices: readonly number[];
}

/** The engines of one model key and GPU count, in snapshot order; undefined where one was dropped. */
interface WarmList {
  readonly slots: (WarmSlot | undefined)[];
  /** Where the first engine still offered is (the first ones are taken first). */
  first: number;
}

export class WarmEngines {
  private byKey: Map<string, Map<number, WarmList>> | undefined;

  constructor(private readonly index: NodeIndex) {}

  /**
   * The first idle warm engine of the job's model key with exactly its GPUs per node, on GPUs of
   * `model` that are all free now, on a node the reservations let the job use until `endAt`;
   * undefined if none (or the job runs on no engine).
   */
  find(job: PendingJob, model: string, book: ReservationBook, endAt: number): WarmSlot | undefined {
    const key = job.engineModelKey;
    if (!key) return undefined;
    const list = (this.byKey ??= this.build()).get(key)?.get(job.shape.gpusPerNode);
    if (!list) return undefined;
    const { slots } = list;
    for (let i = list.first; i < slots.length; i++) {
      const slot = slots[i];
      if (!slot || slot.gpuModel !== model) continue;
      if (!allFree(slot, model)) {
        slots[i] = undefined;
        while (list.first < slots.length && !slots[list.first]) list.first++;
        continue;
      }
      if (book.allows(slot.state, model, slot.gpuIndices.length, endAt, job.id)) return slot;
    }
    return undefined;
  }

  private build(): Map<string, Map<number, WarmList>> {
    const byKey = new Map<string, Map<number, WarmList>>();
    const { all } = this.index;
    for (let n = 0; n < all.length; n++) {
      const state = all[n]!;
      const engines = state.node.warmEngines;
      if (!engines || engines.length === 0 || !state.node.schedulable) continue;
      for (const engine of engines) {
        if (engine.busy || engine.gpuIndices.length === 0) continue;
        const gpuModel = modelOfAll(state, engine.gpuIndices);
        if (gpuModel === undefined) continue;
        const gpuIndices = [...engine.gpuIndices].sort((a, b) => a - b);
        let byCount = byKey.get(engine.modelKey);
        if (!byCount) byKey.set(engine.modelKey, (byCount = new Map<number, WarmList>()));
        let list = byCount.get(gpuIndices.length);
        if (!list) byCount.set(gpuIndices.length, (list = { slots: [], first: 0 }));
        list.slots.push({ state, gpuModel, gpuIndices });
      }
    }
    return byKey;
  }
}

/** The GPU model of every one of these indices on the node; undefined if they are not all one. */
function modelOfAll(state: NodeState, indices: readonly number[]): string | undefined {
  const { gpus } = state.node;
  let model: string | undefined;
  for (let i = 0; i < indices.length; i++) {
    if (indices.indexOf(indices[i]!) !== i) return undefined; // listed twice
    const gpu = gpus.find((g) => g.index === indices[i]);
    if (!gpu || (model !== undefined && gpu.model !== model)) return undefined;
    model = gpu.model;
  }
  return model;
}

/** Whether each of the engine's GPUs is free now. */
function allFree(slot: WarmSlot, model: string): boolean {
  const free = slot.state.freeOf(model);
  if (!free || free.length < slot.gpuIndices.length) return false;
  for (const index of slot.gpuIndices) if (!free.includes(index)) return false;
  return true;
}
