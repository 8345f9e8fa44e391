import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Credential } from '@gantry/domain';
import type { NodeInventory, NodeRecord } from '../api';
import { nodeFromRow } from '../mappers/nodes';
import { toDate } from '../mappers/time';
import type { NodesTable, Schema } from '../schema';

export interface Registration {
  readonly name: string;
  readonly address: string;
  readonly inventory: NodeInventory;
  readonly labels: Readonly<Record<string, string>>;
  readonly agentVersion: string;
  readonly instanceId: string;
  /** Made by the caller; only its lookup id and secret hash are stored. */
  readonly token: Credential;
  readonly now: number;
}

/**
 * Transaction "register a node". Writes: a new nodes row, or (when the name exists) that row,
 * locked FOR UPDATE, refreshed: address, inventory, labels, version, instance, registered_at,
 * state ready, and the given token's lookup id and hash in place of the old one (which stops
 * working). Emits: the node and the instance id it had before (null for a new node), so the
 * caller can tell an agent restart.
 */
export async function registerNode(
  db: Kysely<Schema>,
  input: Registration,
  newNodeId: (now: number) => string,
): Promise<{ node: NodeRecord; previousInstanceId: string | null }> {
  const fields: NodeFields = {
    address: input.address,
    state: 'ready',
    inventory: JSON.stringify(input.inventory),
    labels: JSON.stringify(input.labels),
    agent_version: input.agentVersion,
    instance_id: input.instanceId,
    token_lookup_id: input.token.lookupId,
    token_hash: input.token.secretHash,
    registered_at: toDate(input.now),
    lost_at: null,
  };
  return db.transaction().execute((trx) => upsert(trx, input.name, fields, newNodeId(input.now)));
}

type NodeFields = Omit<Insertable<NodesTable>, 'id' | 'name'>;

async function upsert(
  trx: Transaction<Schema>,
  name: string,
  fields: NodeFields,
  id: string,
): Promise<{ node: NodeRecord; previousInstanceId: string | null }> {
  // A first registration inserts; a concurrent one waits on the name's index, then finds it.
  const inserted = await trx
    .insertInto('nodes')
    .values({ id, name, ...fields })
    .onConflict((oc) => oc.column('name').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { node: nodeFromRow(inserted), previousInstanceId: null };
  const existing = await trx
    .selectFrom('nodes')
    .select(['id', 'instance_id'])
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const row = await trx
    .updateTable('nodes')
    .set(fields)
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { node: nodeFromRow(row), previousInstanceId: existing.instance_id };
}
