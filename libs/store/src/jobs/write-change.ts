import type { Transaction } from 'kysely';
import type { AttemptRecord, Change } from '@gantry/domain';
import type { ChangedJob, StopOrder } from '../api';
import {
  attemptPatchToRow,
  attemptToRow,
  eventToRow,
  jobPatchToRow,
  type StoredJob,
} from '../mappers/jobs';
import type { Schema } from '../schema';

/**
 * Writes one lifecycle change (from @gantry/domain lifecycle/) to a job whose row the caller
 * has locked. Contract: updates the jobs row (patch + last_event_seq), inserts the new
 * attempt's rank rows or updates the changed rank (`rank`) and the other ranks the change
 * names, appends the history entries numbered last_event_seq + 1, ... Returns the job as it is
 * now.
 */
export async function writeChange(
  trx: Transaction<Schema>,
  job: StoredJob,
  attemptNumber: number,
  change: Change,
  now: number,
  rank = 0,
): Promise<StoredJob> {
  const lastEventSeq = job.lastEventSeq + change.events.length;
  const jobPatch = jobPatchToRow(change.job);
  if (Object.keys(jobPatch).length > 0 || change.events.length > 0 || change.result) {
    const result = change.result ? { result: JSON.stringify(change.result) } : {};
    await trx
      .updateTable('jobs')
      .set({ ...jobPatch, ...result, last_event_seq: lastEventSeq })
      .where('id', '=', job.id)
      .execute();
  }
  if (change.newAttempts && change.newAttempts.length > 0) {
    await trx.insertInto('attempts').values(change.newAttempts.map(attemptToRow)).execute();
  }
  const patches = [
    ...(change.attempt ? [{ rank, patch: change.attempt }] : []),
    ...(change.ranks ?? []),
  ];
  for (const { rank: r, patch } of patches) {
    const row = attemptPatchToRow(patch);
    if (Object.keys(row).length === 0) continue;
    await trx
      .updateTable('attempts')
      .set(row)
      .where('job_id', '=', job.id)
      .where('number', '=', attemptNumber)
      .where('rank', '=', r)
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

/** The ranks of an attempt with a change's patches applied (`rank` is the one it is about). */
export function patchRanks(
  ranks: readonly AttemptRecord[],
  change: Change,
  rank: number,
): AttemptRecord[] {
  return ranks.map((r) => {
    const own = r.rank === rank ? change.attempt : undefined;
    const other = change.ranks?.find((p) => p.rank === r.rank)?.patch;
    return own || other ? { ...r, ...own, ...other } : r;
  });
}

/** Stop orders for the ranks a change told to stop because another rank failed. */
export function gangStopsOf(ranks: readonly AttemptRecord[], change: Change): StopOrder[] {
  return (change.ranks ?? []).flatMap(({ rank, patch }) => {
    const r = ranks.find((x) => x.rank === rank);
    return patch.stopReason === 'GangStopped' && r
      ? [{ jobId: r.jobId, attempt: r.number, rank, nodeId: r.nodeId }]
      : [];
  });
}

export function changedJob(job: StoredJob, stops: readonly StopOrder[] = []): ChangedJob {
  return {
    id: job.id,
    state: job.state,
    priority: job.spec.priority,
    submittedAt: job.submittedAt,
    ...(stops.length > 0 ? { stops } : {}),
    ...(job.spec.leaseId !== undefined ? { leased: true } : {}),
  };
}

export function isEmptyChange(change: Change): boolean {
  return (
    change.events.length === 0 &&
    !change.newAttempts &&
    !change.ranks &&
    Object.keys(change.job).length === 0 &&
    Object.keys(change.attempt ?? {}).length === 0
  );
}
