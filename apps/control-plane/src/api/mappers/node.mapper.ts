import type * as pb from '@gantry/proto';
import { NodeState } from '@gantry/proto';
import { gpuModelFromDriverName, ValidationError } from '@gantry/domain';
import type { Allocation, NodeInventory, NodeRecord, WarmEngineRecord } from '@gantry/store';

export function toProtoInventory(inventory: NodeInventory): pb.NodeInventory {
  return {
    gpus: inventory.gpus.map((g) => ({ ...g })),
    simulated: inventory.simulated,
    hostname: inventory.hostname,
    cpuCount: inventory.cpuCount,
    memoryBytes: inventory.memoryBytes,
    warmEngines: (inventory.warmEngines ?? []).map((e) => ({
      ...e,
      gpuIndices: [...e.gpuIndices],
    })),
  };
}

/** Validates an agent's inventory; the model is re-derived from the driver name when missing. */
export function fromProtoInventory(
  inventory: pb.NodeInventory | undefined,
  field: string,
): NodeInventory {
  if (!inventory) throw ValidationError.field(field, 'is required');
  const seen = new Set<number>();
  const gpus = inventory.gpus.map((g, i) => {
    if (g.index < 0 || seen.has(g.index)) {
      throw ValidationError.field(`${field}.gpus[${i}].index`, 'must be unique and at least 0');
    }
    seen.add(g.index);
    return {
      index: g.index,
      uuid: g.uuid,
      name: g.name,
      model: g.model || gpuModelFromDriverName(g.name) || '',
      memoryBytes: g.memoryBytes,
    };
  });
  const warmEngines = inventory.warmEngines.map((e, i) => {
    const at = `${field}.warm_engines[${i}]`;
    if (!e.model) throw ValidationError.field(`${at}.model`, 'is required');
    const bad = e.gpuIndices.find((g) => !seen.has(g));
    if (bad !== undefined)
      throw ValidationError.field(
        `${at}.gpu_indices`,
        `names GPU ${bad}, which the node does not have`,
      );
    return {
      model: e.model,
      revision: e.revision,
      engine: e.engine,
      gpuIndices: [...e.gpuIndices],
      busy: e.busy,
    };
  });
  return {
    gpus,
    simulated: inventory.simulated,
    hostname: inventory.hostname,
    cpuCount: inventory.cpuCount,
    memoryBytes: inventory.memoryBytes,
    warmEngines,
  };
}

/** Whether two lists of warm engines say the same (the same engines, fields and order). */
export function sameWarmEngines(
  a: readonly WarmEngineRecord[],
  b: readonly WarmEngineRecord[],
): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const o = b[i]!;
      return (
        e.model === o.model &&
        e.revision === o.revision &&
        e.engine === o.engine &&
        e.busy === o.busy &&
        e.gpuIndices.length === o.gpuIndices.length &&
        e.gpuIndices.every((g, j) => g === o.gpuIndices[j])
      );
    })
  );
}

export function toProtoNode(
  node: NodeRecord,
  allocations: readonly Allocation[],
  lastBeat: number | undefined,
): pb.Node {
  const mine = allocations.filter((a) => a.nodeId === node.id);
  return {
    id: node.id,
    name: node.name,
    address: node.address,
    state: node.state === 'ready' ? NodeState.NODE_STATE_READY : NodeState.NODE_STATE_LOST,
    inventory: toProtoInventory(node.inventory),
    labels: { ...node.labels },
    allocatedGpuIndices: mine.flatMap((a) => a.gpuIndices).sort((a, b) => a - b),
    runningTasks: mine.length,
    lastHeartbeatTime: lastBeat === undefined ? undefined : new Date(lastBeat),
    registerTime: new Date(node.registeredAt),
    agentVersion: node.agentVersion,
  };
}
