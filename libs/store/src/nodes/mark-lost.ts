import type { Kysely } from 'kysely';
import { ACTIVE_ATTEMPT_STATES, NotFoundError, Reason } from '@gantry/domain';
import type { ChangedJob, FenceToken } from '../api';
import { advanceFence } from '../fence';
import { abandonLocked } from '../jobs/abandon';
import { lockJobs } from '../jobs/locks';
import { changedJob } from '../jobs/write-change';
import { toDate } from '../mappers/time';
import type { Schema } from '../schema';

export interface MarkLostInput {
  readonly fence: FenceToken;
  readonly nodeId: string;
  readonly detail: string;
  readonly maxAttempts: number;
  readonly now: number;
}

/**
 * Transaction "mark a node lost" (leader only, fenced). Reads: scheduler_fence, the node
 * (locked FOR UPDATE), its active attempts and their jobs (locked in id order). Writes: the
 * fence token; nodes.state = lost, lost_at; for each active task the domain `abandonAttempt`
 * change with cause NodeLost (requeue, TooManyAttempts, or cancelled; a multi-node job's other
 * ranks are told to stop). Emits: the jobs that changed, with stop orders for those ranks. A
 * node already lost writes nothing but the fence.
 */
export async function markNodeLost(
  db: Kysely<Schema>,
  input: MarkLostInput,
): Promise<ChangedJob[]> {
  return db.transaction().execute(async (trx) => {
    await advanceFence(trx, input.fence);
    const node = await trx
      .selectFrom('nodes')
      .select(['id', 'state'])
      .where('id', '=', input.nodeId)
      .forUpdate()
      .executeTakeFirst();
    if (!node) throw new NotFoundError('node', input.nodeId);
    if (node.state === 'lost') return [];
    await trx
      .updateTable('nodes')
      .set({ state: 'lost', lost_at: toDate(input.now) })
      .where('id', '=', node.id)
      .execute();
    const active = await trx
      .selectFrom('attempts')
      .select(['job_id', 'number', 'rank'])
      .where('node_id', '=', node.id)
      .where('state', 'in', [...ACTIVE_ATTEMPT_STATES])
      .execute();
    const jobs = await lockJobs(
      trx,
      active.map((a) => a.job_id),
    );
    const changed: ChangedJob[] = [];
    for (const attempt of active.sort((a, b) => a.job_id.localeCompare(b.job_id))) {
      const job = jobs.get(attempt.job_id);
      if (!job) continue;
      const abandoned = await abandonLocked(
        trx,
        job,
        attempt.number,
        {
          cause: Reason.NodeLost,
          detail: input.detail,
          maxAttempts: input.maxAttempts,
          now: input.now,
        },
        attempt.rank,
      );
      if (abandoned) {
        jobs.set(job.id, abandoned.job);
        changed.push(changedJob(abandoned.job, abandoned.stops));
      }
    }
    return changed;
  });
}
