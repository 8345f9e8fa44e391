/** Rows of nodes and tenants to and from the store's records. */
import type { Selectable } from 'kysely';
import type { NodeInventory, NodeRecord, NodeState, TenantRecord } from '../api';
import type { NodesTable, TenantsTable } from '../schema';
import { toMs, toMsOrNull } from './time';

export function nodeFromRow(row: Selectable<NodesTable>): NodeRecord {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    state: row.state as NodeState,
    inventory: row.inventory as NodeInventory,
    labels: row.labels as Record<string, string>,
    agentVersion: row.agent_version,
    instanceId: row.instance_id,
    tokenLookupId: row.token_lookup_id,
    registeredAt: toMs(row.registered_at),
    lostAt: toMsOrNull(row.lost_at),
  };
}

export function tenantFromRow(
  row: Pick<Selectable<TenantsTable>, 'id' | 'name' | 'admin' | 'created_at'>,
): TenantRecord {
  return { id: row.id, name: row.name, admin: row.admin, createdAt: toMs(row.created_at) };
}
