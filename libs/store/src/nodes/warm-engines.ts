import { sql, type Kysely } from 'kysely';
import type { WarmEngineRecord } from '../api';
import type { Schema } from '../schema';

/**
 * Statement "keep a node's warm engines current" (one UPDATE, no transaction needed). Reads and
 * writes: nodes.inventory of the node, whose `warmEngines` becomes `engines` only where the
 * stored list differs (jsonb equality: same engines, fields and order), so the heartbeats of a
 * node whose engines did not change write nothing. Compared and written in the one statement,
 * so concurrent heartbeats cannot lose an update between a read and a write. Emits: whether it
 * wrote (false for an unknown node).
 */
export async function updateWarmEngines(
  db: Kysely<Schema>,
  nodeId: string,
  engines: readonly WarmEngineRecord[],
): Promise<boolean> {
  const json = JSON.stringify(
    engines.map((e) => ({
      model: e.model,
      revision: e.revision,
      engine: e.engine,
      gpuIndices: [...e.gpuIndices],
      busy: e.busy,
    })),
  );
  const result = await db
    .updateTable('nodes')
    .set({ inventory: sql`jsonb_set(inventory, '{warmEngines}', ${json}::jsonb)` })
    .where('id', '=', nodeId)
    .where(sql<boolean>`inventory -> 'warmEngines' is distinct from ${json}::jsonb`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
