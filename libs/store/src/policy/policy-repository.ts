import type { Kysely } from 'kysely';
import type { FenceToken } from '../api';
import type { Database } from '../database/database';
import { classFromRow, classToRow } from '../mappers/policy';
import type {
  PolicyRepository,
  PriorityClassRecord,
  QueueRecord,
  UsageRecord,
} from '../api/policy';
import type { Schema } from '../schema';
import { checkClass } from './class-rules';
import { deleteQueue, listQueues, putQueue } from './queues';
import { accrueUsage, usage, type AddedUsage } from './usage';

/**
 * Queues, priority classes and decayed usage in PostgreSQL. Queue and usage writes are
 * functions with their contract headers (queues.ts, usage.ts); a class is one row.
 */
export class KyselyPolicyRepository implements PolicyRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  listQueues(): Promise<QueueRecord[]> {
    return listQueues(this.db);
  }

  putQueue(queue: QueueRecord, now: number): Promise<QueueRecord> {
    return putQueue(this.db, queue, now);
  }

  deleteQueue(name: string): Promise<void> {
    return deleteQueue(this.db, name);
  }

  /** Most important first. */
  async listClasses(): Promise<PriorityClassRecord[]> {
    const rows = await this.db
      .selectFrom('priority_classes')
      .selectAll()
      .orderBy('priority', 'desc')
      .orderBy('name')
      .execute();
    return rows.map(classFromRow);
  }

  /**
   * Statement "put a class" (one upsert, its own transaction). Reads: nothing. Writes: the
   * priority_classes row. ValidationError naming each bad field (class-rules.ts). Emits: the
   * class as stored.
   */
  async putClass(priorityClass: PriorityClassRecord): Promise<PriorityClassRecord> {
    const stored = checkClass(priorityClass);
    const { name: _name, ...values } = classToRow(stored);
    await this.db
      .insertInto('priority_classes')
      .values(classToRow(stored))
      .onConflict((oc) => oc.column('name').doUpdateSet(values))
      .execute();
    return stored;
  }

  usage(): Promise<UsageRecord[]> {
    return usage(this.db);
  }

  accrueUsage(
    fence: FenceToken,
    added: readonly AddedUsage[],
    asOf: number,
    halfLifeSeconds: number,
  ): Promise<void> {
    return accrueUsage(this.db, fence, added, asOf, halfLifeSeconds);
  }
}
