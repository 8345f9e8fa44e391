/** What the scheduler reads besides pending jobs, over in-memory records, as the store reads it. */
import { isAttemptActive } from '@gantry/domain';
import type { ActiveAttempt, FinishedRun } from '@gantry/store';
import type { JobRecords } from './job-records';

/** Every active task of its job's current attempt, with its job, in job id then rank order. */
export function activeAttemptsOf(records: JobRecords): ActiveAttempt[] {
  return [...records.jobs.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .flatMap((job) =>
      records
        .ranksOf(job.id, job.attempt)
        .filter((attempt) => isAttemptActive(attempt.state))
        .map((attempt) => ({ job, attempt, tenantName: job.tenantId })),
    );
}

/**
 * Jobs that ended on their own (succeeded or failed) after `since`: the newest `limit`, oldest
 * first, each with its final attempt's run time.
 */
export function finishedRunsOf(records: JobRecords, since: number, limit: number): FinishedRun[] {
  const runs = [...records.jobs.values()].flatMap((job) => {
    const attempt = records.currentAttempt(job);
    const ended = job.state === 'succeeded' || job.state === 'failed';
    const { startedAt = null, endedAt = null } = attempt ?? {};
    if (!ended || job.endedAt === null || job.endedAt <= since) return [];
    if (startedAt === null || endedAt === null) return [];
    const seconds = Math.max(0, (endedAt - startedAt) / 1000);
    const { tenantId, spec } = job;
    const gpus = spec.resources.gpus * spec.resources.nodes;
    return [{ id: job.id, tenantId, gpus, seconds, endedAt: job.endedAt }];
  });
  runs.sort((a, b) => a.endedAt - b.endedAt || (a.id < b.id ? -1 : 1));
  return runs.slice(-limit).map(({ id: _id, ...run }) => run);
}
