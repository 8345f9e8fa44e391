/** The queue tree in PostgreSQL: list, create or replace, delete. */
import { sql, type Kysely, type Transaction } from 'kysely';
import { FailedPreconditionError, NotFoundError } from '@gantry/domain';
import { queueFromRow } from '../mappers/policy';
import { toDate } from '../mappers/time';
import type { QueueRecord } from '../api/policy';
import type { Schema } from '../schema';
import { checkQueue } from './queue-rules';

const UNFINISHED = ['pending', 'scheduled', 'running', 'cancelling'];

export async function listQueues(db: Kysely<Schema>): Promise<QueueRecord[]> {
  const rows = await db.selectFrom('queues').selectAll().orderBy('name').execute();
  return rows.map(queueFromRow);
}

/**
 * Transaction "put a queue". Reads: queues (the table locked against other admin writes, so
 * two puts cannot together break the tree's rules), jobs (whether the parent has unfinished
 * jobs). Writes: the queues row (created, or replaced keeping created_at). ValidationError
 * naming each field that breaks a rule (queue-rules.ts). Emits: the queue as stored.
 */
export async function putQueue(
  db: Kysely<Schema>,
  queue: QueueRecord,
  now: number,
): Promise<QueueRecord> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table queues in share row exclusive mode`.execute(trx);
    const rows = await trx.selectFrom('queues').selectAll().execute();
    const queues = new Map(rows.map((row) => [row.name, queueFromRow(row)]));
    const parent = queue.parent === '' ? null : queue.parent;
    const parentHasJobs = parent !== null && (await unfinishedJobs(trx, parent)) > 0;
    const stored = checkQueue(queue, { queues, parentHasJobs });
    const values = {
      parent: stored.parent,
      guaranteed: JSON.stringify(stored.guaranteed),
      max: JSON.stringify(stored.max),
      weight: stored.weight,
      updated_at: toDate(now),
    };
    await trx
      .insertInto('queues')
      .values({ name: stored.name, ...values, created_at: toDate(now) })
      .onConflict((oc) => oc.column('name').doUpdateSet(values))
      .execute();
    return stored;
  });
}

/**
 * Transaction "delete a queue". Reads: queues (locked as for a put), jobs. Writes: deletes the
 * queues row and its queue_usage rows. NotFoundError when absent; FailedPreconditionError when
 * it has child queues or unfinished jobs. Emits: nothing.
 */
export async function deleteQueue(db: Kysely<Schema>, name: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`lock table queues in share row exclusive mode`.execute(trx);
    const queue = await trx
      .selectFrom('queues')
      .select('name')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!queue) throw new NotFoundError('queue', name);
    const children = await trx
      .selectFrom('queues')
      .select('name')
      .where('parent', '=', name)
      .orderBy('name')
      .execute();
    if (children.length > 0) {
      const names = children.map((c) => c.name).join(', ');
      throw new FailedPreconditionError(
        `queue ${name} has child queues (${names}); delete or move them first`,
      );
    }
    const jobs = await unfinishedJobs(trx, name);
    if (jobs > 0) {
      throw new FailedPreconditionError(
        `queue ${name} has ${jobs} unfinished job${jobs === 1 ? '' : 's'}; wait for them or cancel them first`,
      );
    }
    await trx.deleteFrom('queue_usage').where('queue', '=', name).execute();
    await trx.deleteFrom('queues').where('name', '=', name).execute();
  });
}

async function unfinishedJobs(trx: Transaction<Schema>, queue: string): Promise<number> {
  const row = await trx
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('queue', '=', queue)
    .where('state', 'in', UNFINISHED)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
