import type { Transaction } from 'kysely';
import { ACTIVE_ATTEMPT_STATES } from '@gantry/domain';
import type { Placement } from '../api';
import type { Schema } from '../schema';

/**
 * The ready nodes among the placements' and the GPUs on them that no active task holds.
 * Reads (inside the caller's transaction): nodes, attempts. `take` claims a placement's GPUs on
 * every node it names when each one is free on a ready node (none named twice, no node twice),
 * else claims nothing: all or nothing, as a multi-node job starts.
 */
export async function usableGpus(
  trx: Transaction<Schema>,
  placements: readonly Placement[],
): Promise<{ take(placement: Placement): boolean }> {
  const nodeIds = [...new Set(placements.flatMap((p) => p.allocations.map((a) => a.nodeId)))];
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
      const { allocations } = placement;
      const nodes = allocations.map((a) => a.nodeId);
      if (nodes.length === 0 || new Set(nodes).size !== nodes.length) return false;
      if (nodes.some((node) => !ready.has(node))) return false;
      const keys = allocations.flatMap((a) => a.gpuIndices.map((gpu) => `${a.nodeId}/${gpu}`));
      if (new Set(keys).size !== keys.length || keys.some((key) => held.has(key))) return false;
      for (const key of keys) held.add(key);
      return true;
    },
  };
}
