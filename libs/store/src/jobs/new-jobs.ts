/** The rows of a submit (domain `newJobRecords`): the jobs, their first entries, their dependencies. */
import type { Transaction } from 'kysely';
import { newJobRecords, submittedEntry, type Clock, type SubmitRequest } from '@gantry/domain';
import { eventToRow, jobToRow, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';

export type SubmitInput = SubmitRequest;

/** Rows per INSERT, well below PostgreSQL's 65535 parameters per statement. */
const CHUNK = 1000;

/** The jobs a submit creates (domain `newJobRecords`), as the store keeps them. */
export function newJobs(clock: Clock, input: SubmitInput): StoredJob[] {
  return newJobRecords(clock, input).map((job) => ({ ...job, lastEventSeq: 1 }));
}

/** Inserts jobs (without their entries), in chunks. */
export async function insertJobs(
  trx: Transaction<Schema>,
  jobs: readonly StoredJob[],
): Promise<void> {
  for (let i = 0; i < jobs.length; i += CHUNK) {
    await trx
      .insertInto('jobs')
      .values(jobs.slice(i, i + CHUNK).map(jobToRow))
      .execute();
  }
}

/** Each job's first history entry and its rows in job_dependencies, in chunks. */
export async function insertEntriesAndDependencies(
  trx: Transaction<Schema>,
  jobs: readonly StoredJob[],
  now: number,
): Promise<void> {
  for (let i = 0; i < jobs.length; i += CHUNK) {
    const chunk = jobs.slice(i, i + CHUNK);
    await trx
      .insertInto('job_events')
      .values(chunk.map((job) => eventToRow(job.id, 1, now, submittedEntry(job))))
      .execute();
    const dependencies = chunk.flatMap((job) =>
      job.spec.dependencies.map((d) => ({
        job_id: job.id,
        depends_on: d.jobId,
        condition: d.condition,
      })),
    );
    for (let j = 0; j < dependencies.length; j += CHUNK * 5) {
      await trx
        .insertInto('job_dependencies')
        .values(dependencies.slice(j, j + CHUNK * 5))
        .execute();
    }
  }
}
