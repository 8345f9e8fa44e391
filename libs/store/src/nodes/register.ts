import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Credential } from '@gantry/domain';
import type { NodeInventory, NodeRecord } from '../api';
import { isUniqueViolation } from '../database/errors';
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
 * Transaction "register a node". Reads: the node with this name (locked FOR UPDATE). Writes:
 * a new nodes row, or the existing one refreshed (address, inventory, labels, version,
 * instance, registered_at), state ready, and the given token's lookup id and hash in place of
 * the old (the old token stops working). Emits: the node and the instance id it had before
 * (null for a new node) so the caller can tell an agent restart.
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
  const attempt = (trx: Transaction<Schema>) =>
    upsert(trx, input.name, fields, newNodeId(input.now));
  let result;
  try {
    result = await db.transaction().execute(attempt);
  } catch (error) {
    // Two first registrations of one name raced: the loser refreshes the winner's row.
    if (!isUniqueViolation(error)) throw error;
    result = await db.transaction().execute(attempt);
  }
  return result;
}

type NodeFields = Omit<Insertable<NodesTable>, 'id' | 'name'>;

async function upsert(
  trx: Transaction<Schema>,
  name: string,
  fields: NodeFields,
  id: string,
): Promise<{ node: NodeRecord; previousInstanceId: string | null }> {
  const existing = await trx
    .selectFrom('nodes')
    .select(['id', 'instance_id'])
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  const row = existing
    ? await trx
        .updateTable('nodes')
        .set(fields)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('nodes')
        .values({ id, name, ...fields })
        .returningAll()
        .executeTakeFirstOrThrow();
  return { node: nodeFromRow(row), previousInstanceId: existing?.instance_id ?? null };
}
