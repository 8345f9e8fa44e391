import type { Kysely } from 'kysely';
import { NotFoundError, recordCheckpoint as checkpoint, ValidationError } from '@gantry/domain';
import type { JobView, Scope } from '../api';
import type { Schema } from '../schema';
import { lockJob } from './locks';
import { canSee, loadViews } from './views';
import { writeChange } from './write-change';

export const MAX_CHECKPOINT_MESSAGE = 1024;

/**
 * Transaction "record a checkpoint" (through the API). Reads: the job (locked FOR UPDATE).
 * Writes: the domain `recordCheckpoint` change: last_checkpoint_at and a checkpoint history
 * entry. NotFoundError for a missing job or another tenant's (unless admin); ValidationError
 * (field `message`) for a message over 1,024 characters; FailedPreconditionError unless the
 * job is running. Emits: nothing (watchers see the entry).
 */
export async function recordCheckpoint(
  db: Kysely<Schema>,
  scope: Scope,
  jobId: string,
  message: string,
  now: number,
): Promise<JobView> {
  if (message.length > MAX_CHECKPOINT_MESSAGE) {
    throw ValidationError.field(
      'message',
      `must be at most ${MAX_CHECKPOINT_MESSAGE} characters (got ${message.length})`,
    );
  }
  await db.transaction().execute(async (trx) => {
    const job = await lockJob(trx, jobId);
    if (!job || !canSee(scope, job.tenantId)) throw new NotFoundError('job', jobId);
    await writeChange(trx, job, job.attempt, checkpoint(job, message, now), now);
  });
  const [view] = await loadViews(db, [jobId]);
  if (!view) throw new NotFoundError('job', jobId);
  return view;
}
