import type { Transaction } from 'kysely';
import { ACTIVE_ATTEMPT_STATES } from '@gantry/domain';
import type { Placement } from '../api';
import type { Schema } from '../schema';

/**
 * The ready nodes among the placements' and the GPUs on them that no active attempt holds.
 * Reads (inside the caller's transaction): nodes, attempts. `take` claims a placement's GPUs
 * when every one is free on a ready node (and none is named twice), else claims nothing.
 */
export async function usableGpus(
  trx: Transaction<Schema>,
  placements: readonly Placement[],
): Promise<{ take(placement: Placement): boolean }> {
  const nodeIds = [...new Set(placements.map((p) => p.nodeId))];
  const ready = new Set<string>();
  const held = new Set<string>();
  if (nodeIds.length > 0) {
    const nodes = await trx
      .selectFrom('nodes')
      .select('id')
      .where('id', 'in', nodeIds)
      .where('state', '=', 'ready')
      .execute();
    for (const node of nodes) ready.add(node.id);
    const active = await trx
      .selectFrom('attempts')
      .select(['node_id', 'gpu_indices'])
      .where('node_id', 'in', nodeIds)
      .where('state', 'in', [...ACTIVE_ATTEMPT_STATES])
      .execute();
    for (const row of active) for (const gpu of row.gpu_indices) held.add(`${row.node_id}/${gpu}`);
  }
  return {
    take(placement) {
      const keys = placement.gpuIndices.map((gpu) => `${placement.nodeId}/${gpu}`);
      if (!ready.has(placement.nodeId) || new Set(keys).size !== keys.length) return false;
      if (keys.some((key) => held.has(key))) return false;
      for (const key of keys) held.add(key);
      return true;
    },
  };
}
