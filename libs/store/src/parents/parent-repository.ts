import { sql, type Kysely } from 'kysely';
import {
  endParent,
  newJobRecords,
  type Clock,
  type JobResult,
  type JobSpec,
  type ParentEnd,
} from '@gantry/domain';
import type { ChangedJob, JobView, ParentRepository, ShardView, StopOrder } from '../api';
import type { Database } from '../database/database';
import { cancelJob } from '../jobs/cancel';
import { lockJob } from '../jobs/locks';
import { insertEntriesAndDependencies, insertJobs } from '../jobs/new-jobs';
import { loadViews } from '../jobs/views';
import { changedJob, writeChange } from '../jobs/write-change';
import { eventToRow, specFromRow } from '../mappers/jobs';
import type { Schema } from '../schema';

const PARENT_KINDS = ['inference_batch', 'rl_synthetic'];
const LIVE = ['pending', 'scheduled', 'running', 'cancelling'];
const ADMIN = { tenantId: '', admin: true };

/** Batch and RL parents and their shards in PostgreSQL (the workload controller's store). */
export class KyselyParentRepository implements ParentRepository {
  private readonly db: Kysely<Schema>;

  constructor(
    database: Pick<Database, 'db'>,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
  }

  async liveParents(limit: number): Promise<JobView[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', PARENT_KINDS)
      .where('state', 'in', ['running', 'cancelling'])
      .orderBy('id')
      .limit(limit)
      .execute();
    return loadViews(
      this.db,
      rows.map((r) => r.id),
    );
  }

  /**
   * Reads: the parent's shards (jobs whose parent_job_id is it) and the last progress event of
   * each. Writes nothing.
   */
  async shards(parentId: string): Promise<ShardView[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'spec', 'priority_class', 'state', 'reason', 'message', 'attempt'])
      .select((eb) =>
        eb
          .selectFrom('job_events')
          .select(sql<string>`payload ->> 'message'`.as('message'))
          .whereRef('job_events.job_id', '=', 'jobs.id')
          .where('job_events.type', '=', 'progress')
          .orderBy('job_events.seq', 'desc')
          .limit(1)
          .as('progress_message'),
      )
      .where('parent_job_id', '=', parentId)
      .execute();
    const shards = rows.map((row) => ({
      id: row.id,
      spec: specFromRow(row.spec, row.priority_class),
      state: row.state as ShardView['state'],
      reason: row.reason,
      message: row.message,
      attempt: row.attempt,
      progressMessage: row.progress_message ?? '',
    }));
    return shards.sort((a, b) => shardIndex(a.spec) - shardIndex(b.spec));
  }

  /**
   * Transaction "create shards". Reads: the parent (locked); whether it has shards. Writes, when
   * it is running without shards: one pending job per shard spec (the parent's tenant), their
   * first history entries and dependencies; the parent's result and message, and a notice entry
   * naming the shards. Emits: nothing (the caller enqueues the returned shards).
   */
  async createShards(
    parentId: string,
    specs: readonly JobSpec[],
    result: JobResult,
    message: string,
    now: number,
  ): Promise<ChangedJob[]> {
    return this.db.transaction().execute(async (trx) => {
      const parent = await lockJob(trx, parentId);
      if (!parent || parent.state !== 'running') return [];
      const existing = await trx
        .selectFrom('jobs')
        .select('id')
        .where('parent_job_id', '=', parentId)
        .limit(1)
        .executeTakeFirst();
      if (existing) return [];
      const shards = specs.map((spec) => ({
        ...newJobRecords(this.clock, {
          tenantId: parent.tenantId,
          spec,
          idempotencyKey: null,
          now,
        })[0]!,
        lastEventSeq: 1,
      }));
      await insertJobs(trx, shards);
      await insertEntriesAndDependencies(trx, shards, now);
      const seq = parent.lastEventSeq + 1;
      await trx
        .updateTable('jobs')
        .set({ result: JSON.stringify(result), reason: '', message, last_event_seq: seq })
        .where('id', '=', parentId)
        .execute();
      await trx
        .insertInto('job_events')
        .values(
          eventToRow(parentId, seq, now, {
            type: 'notice',
            attempt: 0,
            reason: 'ShardsCreated',
            message: `${message}: ${shards.map((s) => s.id).join(', ')}`,
          }),
        )
        .execute();
      return shards.map((s) => changedJob(s));
    });
  }

  /**
   * Transaction "record progress". Reads: the parent (locked). Writes, while it is live: its
   * result, progress and message; a progress entry when the progress moved. Emits: nothing.
   */
  async recordProgress(
    parentId: string,
    result: JobResult,
    progress: number,
    message: string,
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const parent = await lockJob(trx, parentId);
      if (!parent || !LIVE.includes(parent.state)) return;
      const moved = Math.abs(progress - parent.progress) > 1e-9;
      const seq = moved ? parent.lastEventSeq + 1 : parent.lastEventSeq;
      await trx
        .updateTable('jobs')
        .set({ result: JSON.stringify(result), progress, message, last_event_seq: seq })
        .where('id', '=', parentId)
        .execute();
      if (moved)
        await trx
          .insertInto('job_events')
          .values(
            eventToRow(parentId, seq, now, {
              type: 'progress',
              attempt: 0,
              fraction: progress,
              message,
            }),
          )
          .execute();
    });
  }

  /**
   * Transaction "end parent". Reads: the parent (locked). Writes, unless it has ended: the
   * domain `endParent` change (state, reason, message, end time, history entry) and its result.
   */
  async endParent(
    parentId: string,
    to: ParentEnd,
    reason: string,
    message: string,
    result: JobResult,
    now: number,
  ): Promise<ChangedJob | null> {
    return this.db.transaction().execute(async (trx) => {
      const parent = await lockJob(trx, parentId);
      if (!parent || !LIVE.includes(parent.state)) return null;
      const progress = to === 'succeeded' ? 1 : parent.progress;
      const change = endParent(parent, to, reason, message, now);
      const ended = await writeChange(trx, parent, 0, change, now);
      await trx
        .updateTable('jobs')
        .set({ result: JSON.stringify(result), progress })
        .where('id', '=', parentId)
        .execute();
      return changedJob(ended);
    });
  }

  async cancelShards(
    parentId: string,
    reason: string,
    now: number,
  ): Promise<{ changed: ChangedJob[]; stops: StopOrder[] }> {
    const live = (await this.shards(parentId)).filter((s) => LIVE.includes(s.state));
    const changed: ChangedJob[] = [];
    const stops: StopOrder[] = [];
    for (const shard of live) {
      const outcome = await cancelJob(this.db, ADMIN, shard.id, reason, now);
      changed.push(changedJob({ ...outcome.job, lastEventSeq: 0 }));
      stops.push(...outcome.stops);
    }
    return { changed, stops };
  }
}

function shardIndex(spec: JobSpec): number {
  return spec.workload.kind === 'shard' ? spec.workload.index : 0;
}
