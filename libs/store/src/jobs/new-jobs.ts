/** The rows of a submit: one job, or one per element of a job array, with their first entries. */
import type { Transaction } from 'kysely';
import {
  arrayElementSpec,
  arrayIndices,
  contentHash,
  newId,
  Reason,
  type Clock,
  type JobEventDraft,
  type JobSpec,
} from '@gantry/domain';
import { eventToRow, jobToRow, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';

export interface SubmitInput {
  readonly tenantId: string;
  readonly spec: JobSpec;
  readonly idempotencyKey: string | null;
  readonly array?: { readonly first: number; readonly last: number };
  readonly now: number;
}

/** Rows per INSERT, well below PostgreSQL's 65535 parameters per statement. */
const CHUNK = 1000;

/**
 * The jobs a submit creates, first element first. Array elements get ids in index order (the
 * array id is the first one's) and share one spec hash: that of the submitted spec and range,
 * so a repeated submit with the same key finds them. Only the first carries the key.
 * ValidationError (field `array`) for a malformed range.
 */
export function newJobs(clock: Clock, input: SubmitInput): StoredJob[] {
  const key = input.idempotencyKey === '' ? null : input.idempotencyKey;
  const base = {
    tenantId: input.tenantId,
    idempotencyKey: key,
    state: 'pending' as const,
    reason: Reason.Submitted,
    message: `waiting in queue ${input.spec.queue} for the scheduler`,
    attempt: 0,
    progress: 0,
    exitCode: null,
    submittedAt: input.now,
    startedAt: null,
    endedAt: null,
    lastCheckpointAt: null,
    preemptions: 0,
    nominatedNodeIds: [],
    protectedUntil: 0,
    lastEventSeq: 1,
  };
  if (!input.array) {
    const spec = input.spec;
    const id = newId('job', clock);
    return [{ ...base, id, spec, specHash: contentHash(spec), arrayId: null, arrayIndex: null }];
  }
  const { first, last } = input.array;
  const indices = arrayIndices(first, last);
  const ids = indices.map(() => newId('job', clock)).sort();
  const arrayId = ids[0]!;
  const specHash = contentHash({ spec: input.spec, array: { first, last } });
  return indices.map((index, i) => ({
    ...base,
    id: ids[i]!,
    idempotencyKey: i === 0 ? key : null,
    spec: arrayElementSpec(input.spec, arrayId, index),
    specHash,
    arrayId,
    arrayIndex: index,
  }));
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
      .values(chunk.map((job) => eventToRow(job.id, 1, now, submittedEvent(job))))
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

/** The first history entry: the job enters pending (there is no earlier state). */
function submittedEvent(job: StoredJob): JobEventDraft {
  const element =
    job.arrayId === null ? '' : ` as element ${job.arrayIndex} of array ${job.arrayId}`;
  return {
    type: 'state_change',
    attempt: 0,
    from: 'pending',
    to: 'pending',
    reason: job.reason,
    message: `submitted to queue ${job.spec.queue}${element}`,
  };
}
