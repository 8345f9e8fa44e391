import type { Kysely, Transaction } from 'kysely';
import { applyTaskReport, FailedPreconditionError } from '@gantry/domain';
import type { ChangedJob, EventOutcome, ReportedEvent, StopOrder } from '../api';
import type { StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { findRanks, lockJobs, splitRanks } from './locks';
import { changedJob, gangStopsOf, isEmptyChange, writeChange } from './write-change';

/**
 * Transaction "apply an agent's task reports". Reads: the jobs named (locked FOR UPDATE in id
 * order) and every rank of the reported attempts. Writes, per report in order: the domain
 * `applyTaskReport` change (job, rank and other-rank patches, numbered history entries). A
 * report about an unknown job, a stale or ended attempt, or a task on another node is rejected
 * with a message and writes nothing; a sequence the task has already seen is accepted and
 * writes nothing. Emits: one outcome per report, and each job that got new history entries
 * (its state may or may not have changed) with stop orders for the ranks of a multi-node job
 * told to stop because another failed, so callers can update the pending index, wake watchers
 * and stop those ranks.
 */
export async function applyTaskEvents(
  db: Kysely<Schema>,
  nodeId: string,
  events: readonly ReportedEvent[],
  now: number,
  maxAttempts: number,
): Promise<{ outcomes: EventOutcome[]; changed: ChangedJob[] }> {
  if (events.length === 0) return { outcomes: [], changed: [] };
  return db.transaction().execute(async (trx) => {
    const jobs = await lockJobs(
      trx,
      events.map((e) => e.jobId),
    );
    const changed = new Map<string, { job: StoredJob; stops: StopOrder[] }>();
    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      const job = jobs.get(event.jobId);
      if (!job) {
        outcomes.push({ accepted: false, message: `job ${event.jobId} not found` });
        continue;
      }
      const result = await applyOne(trx, job, nodeId, event, now, maxAttempts);
      outcomes.push(result.outcome);
      if (result.job) {
        jobs.set(job.id, result.job);
        const stops = [...(changed.get(job.id)?.stops ?? []), ...result.stops];
        changed.set(job.id, { job: result.job, stops });
      }
    }
    return {
      outcomes,
      changed: [...changed.values()].map(({ job, stops }) => changedJob(job, stops)),
    };
  });
}

async function applyOne(
  trx: Transaction<Schema>,
  job: StoredJob,
  nodeId: string,
  event: ReportedEvent,
  now: number,
  maxAttempts: number,
): Promise<{ outcome: EventOutcome; job?: StoredJob; stops: StopOrder[] }> {
  const ranks = await findRanks(trx, job.id, event.attempt);
  const { attempt, siblings } = splitRanks(ranks, event.rank);
  let change;
  try {
    change = applyTaskReport(job, attempt, nodeId, event.sequence, event.report, now, {
      siblings,
      maxAttempts,
    });
  } catch (error) {
    if (error instanceof FailedPreconditionError) {
      return { outcome: { accepted: false, message: error.message }, stops: [] };
    }
    throw error;
  }
  const accepted = { accepted: true, message: '' };
  if (isEmptyChange(change)) return { outcome: accepted, stops: [] };
  const updated = await writeChange(trx, job, event.attempt, change, now, event.rank);
  const stops = gangStopsOf(ranks, change);
  return change.events.length > 0
    ? { outcome: accepted, job: updated, stops }
    : { outcome: accepted, stops };
}
