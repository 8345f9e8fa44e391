import { sql, type Transaction } from 'kysely';
import { ACTIVE_ATTEMPT_STATES } from '@gantry/domain';
import type { Placement } from '../api';
import type { Schema } from '../schema';

/**
 * The ready nodes among the placements' and the GPUs on them that no active task holds.
 * Reads (inside the caller's transaction): nodes, attempts and their jobs. `take` claims a
 * placement's GPUs on every node it names when each one is free on a ready node (none named
 * twice, no node twice), else claims nothing: all or nothing, as a multi-node job starts. A
 * renter's job (`leaseId`) may take GPUs its lease's job holds, and only those (ADR 10).
 */
export async function usableGpus(
  trx: Transaction<Schema>,
  placements: readonly Placement[],
): Promise<{ take(placement: Placement, leaseId?: string): boolean }> {
  const nodeIds = [...new Set(placements.flatMap((p) => p.allocations.map((a) => a.nodeId)))];
  const ready = new Set<string>();
  /** GPU key -> the lease whose holder has it ('' for any other task). */
  const held = new Map<string, string>();
  /** GPU keys a renter's job runs on (inside a lease holder's GPUs). */
  const inLease = new Set<string>();
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
      .innerJoin('jobs', 'jobs.id', 'attempts.job_id')
      .select(['attempts.node_id', 'attempts.gpu_indices', 'jobs.lease_id'])
      .select(sql<string | null>`jobs.spec -> 'workload' ->> 'leaseId'`.as('holds'))
      .where('attempts.node_id', 'in', nodeIds)
      .where('attempts.state', 'in', [...ACTIVE_ATTEMPT_STATES])
      .execute();
    for (const row of active)
      for (const gpu of row.gpu_indices) {
        const key = `${row.node_id}/${gpu}`;
        if (row.lease_id !== null) inLease.add(key);
        else held.set(key, row.holds ?? '');
      }
  }
  const usable = (key: string, leaseId: string | undefined): boolean =>
    !inLease.has(key) && (leaseId === undefined ? !held.has(key) : held.get(key) === leaseId);
  return {
    take(placement, leaseId) {
      const { allocations } = placement;
      const nodes = allocations.map((a) => a.nodeId);
      if (nodes.length === 0 || new Set(nodes).size !== nodes.length) return false;
      if (nodes.some((node) => !ready.has(node))) return false;
      const keys = allocations.flatMap((a) => a.gpuIndices.map((gpu) => `${a.nodeId}/${gpu}`));
      if (new Set(keys).size !== keys.length || keys.some((key) => !usable(key, leaseId)))
        return false;
      for (const key of keys) {
        if (leaseId === undefined) held.set(key, '');
        else inLease.add(key);
      }
      return true;
    },
  };
}
