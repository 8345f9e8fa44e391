import type { Kysely, Transaction } from 'kysely';
import { applyTaskReport, FailedPreconditionError } from '@gantry/domain';
import type { ChangedJob, EventOutcome, ReportedEvent } from '../api';
import type { StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { findAttempt, lockJobs } from './locks';
import { changedJob, isEmptyChange, writeChange } from './write-change';

/**
 * Transaction "apply an agent's task reports". Reads: the jobs named (locked FOR UPDATE in id
 * order) and the reported attempts. Writes, per report in order: the domain `applyTaskReport`
 * change (job and attempt patches, numbered history entries). A report about an unknown job,
 * a stale or ended attempt, or an attempt on another node is rejected with a message and
 * writes nothing; a sequence the attempt has already seen is accepted and writes nothing.
 * Emits: one outcome per report, and each job that got new history entries (its state may or
 * may not have changed), so callers can update the pending index and wake watchers.
 */
export async function applyTaskEvents(
  db: Kysely<Schema>,
  nodeId: string,
  events: readonly ReportedEvent[],
  now: number,
): Promise<{ outcomes: EventOutcome[]; changed: ChangedJob[] }> {
  if (events.length === 0) return { outcomes: [], changed: [] };
  return db.transaction().execute(async (trx) => {
    const jobs = await lockJobs(
      trx,
      events.map((e) => e.jobId),
    );
    const changed = new Map<string, ChangedJob>();
    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      const job = jobs.get(event.jobId);
      if (!job) {
        outcomes.push({ accepted: false, message: `job ${event.jobId} not found` });
        continue;
      }
      const result = await applyOne(trx, job, nodeId, event, now);
      outcomes.push(result.outcome);
      if (result.job) {
        jobs.set(job.id, result.job);
        changed.set(job.id, changedJob(result.job));
      }
    }
    return { outcomes, changed: [...changed.values()] };
  });
}

async function applyOne(
  trx: Transaction<Schema>,
  job: StoredJob,
  nodeId: string,
  event: ReportedEvent,
  now: number,
): Promise<{ outcome: EventOutcome; job?: StoredJob }> {
  const attempt = await findAttempt(trx, job.id, event.attempt);
  let change;
  try {
    change = applyTaskReport(job, attempt, nodeId, event.sequence, event.report, now);
  } catch (error) {
    if (error instanceof FailedPreconditionError) {
      return { outcome: { accepted: false, message: error.message } };
    }
    throw error;
  }
  const accepted = { accepted: true, message: '' };
  if (isEmptyChange(change)) return { outcome: accepted };
  const updated = await writeChange(trx, job, event.attempt, change, now);
  return change.events.length > 0 ? { outcome: accepted, job: updated } : { outcome: accepted };
}
