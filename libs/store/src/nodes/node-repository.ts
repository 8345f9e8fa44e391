import type { Kysely } from 'kysely';
import { newId, parseCredential, secretMatches } from '@gantry/domain';
import type { ChangedJob, FenceToken, NodeRecord, NodeRepository, WarmEngineRecord } from '../api';
import type { Database } from '../database/database';
import { nodeFromRow } from '../mappers/nodes';
import type { Schema } from '../schema';
import { markNodeLost } from './mark-lost';
import { registerNode, type Registration } from './register';
import { updateWarmEngines } from './warm-engines';

/**
 * Nodes (GPU machines with an agent), their tokens and warm engines; markLost requeues their
 * work.
 */
export class KyselyNodeRepository implements NodeRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  register(input: Registration): Promise<{ node: NodeRecord; previousInstanceId: string | null }> {
    return registerNode(this.db, input, (now) => newId('node', { now: () => now }));
  }

  async authenticate(presentedToken: string): Promise<NodeRecord | undefined> {
    const parsed = parseCredential('node-token', presentedToken);
    if (!parsed) return undefined;
    const row = await this.db
      .selectFrom('nodes')
      .selectAll()
      .where('token_lookup_id', '=', parsed.lookupId)
      .executeTakeFirst();
    if (!row || !secretMatches(parsed.secret, row.token_hash)) return undefined;
    return nodeFromRow(row);
  }

  async get(nodeId: string): Promise<NodeRecord | undefined> {
    const row = await this.db
      .selectFrom('nodes')
      .selectAll()
      .where('id', '=', nodeId)
      .executeTakeFirst();
    return row ? nodeFromRow(row) : undefined;
  }

  async list(): Promise<NodeRecord[]> {
    const rows = await this.db.selectFrom('nodes').selectAll().orderBy('name').execute();
    return rows.map(nodeFromRow);
  }

  markLost(
    fence: FenceToken,
    nodeId: string,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob[]> {
    return markNodeLost(this.db, { fence, nodeId, detail, maxAttempts, now });
  }

  /** Contract: writes nodes.state = ready, lost_at = null for a lost node; else nothing. */
  async markReady(nodeId: string, _now: number): Promise<void> {
    await this.db
      .updateTable('nodes')
      .set({ state: 'ready', lost_at: null })
      .where('id', '=', nodeId)
      .where('state', '=', 'lost')
      .execute();
  }

  /** See updateWarmEngines (warm-engines.ts) for the statement's contract. */
  setWarmEngines(nodeId: string, engines: readonly WarmEngineRecord[]): Promise<boolean> {
    return updateWarmEngines(this.db, nodeId, engines);
  }
}
