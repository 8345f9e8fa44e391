import type { Transaction } from 'kysely';
import type { AttemptRecord, Change } from '@gantry/domain';
import type { ChangedJob } from '../api';
import {
  attemptPatchToRow,
  attemptToRow,
  eventToRow,
  jobPatchToRow,
  type StoredJob,
} from '../mappers/jobs';
import type { Schema } from '../schema';

/**
 * Writes one lifecycle change (from @gantry/domain lifecycle.ts) to a job whose row the caller
 * has locked. Contract: updates the jobs row (patch + last_event_seq), inserts the new attempt
 * or updates the changed one, appends the history entries numbered last_event_seq + 1, ...
 * Returns the job as it is now.
 */
export async function writeChange(
  trx: Transaction<Schema>,
  job: StoredJob,
  attemptNumber: number,
  change: Change,
  now: number,
): Promise<StoredJob> {
  const lastEventSeq = job.lastEventSeq + change.events.length;
  const jobPatch = jobPatchToRow(change.job);
  if (Object.keys(jobPatch).length > 0 || change.events.length > 0) {
    await trx
      .updateTable('jobs')
      .set({ ...jobPatch, last_event_seq: lastEventSeq })
      .where('id', '=', job.id)
      .execute();
  }
  if (change.newAttempt) {
    await trx.insertInto('attempts').values(attemptToRow(change.newAttempt)).execute();
  }
  const attemptPatch = change.attempt ? attemptPatchToRow(change.attempt) : {};
  if (Object.keys(attemptPatch).length > 0) {
    await trx
      .updateTable('attempts')
      .set(attemptPatch)
      .where('job_id', '=', job.id)
      .where('number', '=', attemptNumber)
      .execute();
  }
  if (change.events.length > 0) {
    await trx
      .insertInto('job_events')
      .values(
        change.events.map((draft, i) => eventToRow(job.id, job.lastEventSeq + i + 1, now, draft)),
      )
      .execute();
  }
  return { ...job, ...change.job, lastEventSeq };
}

/** The attempt with a change's patch applied (for several reports in one transaction). */
export function patchAttempt(attempt: AttemptRecord, change: Change): AttemptRecord {
  return change.attempt ? { ...attempt, ...change.attempt } : attempt;
}

export function changedJob(job: StoredJob): ChangedJob {
  return {
    id: job.id,
    state: job.state,
    priority: job.spec.priority,
    submittedAt: job.submittedAt,
  };
}

export function isEmptyChange(change: Change): boolean {
  return (
    change.events.length === 0 &&
    !change.newAttempt &&
    Object.keys(change.job).length === 0 &&
    Object.keys(change.attempt ?? {}).length === 0
  );
}
