/**
 * The records a submit creates in the in-memory job repository, as the store makes them
 * (libs/store/src/jobs/new-jobs.ts): one pending job, or one per element of a job array (domain
 * `arrayElementSpec`, ids in index order, the array id the first one's, one spec hash for the
 * spec and range), each with its first history entry.
 */
import {
  arrayElementSpec,
  arrayIndices,
  contentHash,
  newId,
  Reason,
  type Clock,
  type JobEventDraft,
  type JobRecord,
  type JobSpec,
} from '@gantry/domain';

export interface SubmitInput {
  readonly tenantId: string;
  readonly spec: JobSpec;
  readonly idempotencyKey: string | null;
  readonly array?: { readonly first: number; readonly last: number };
  readonly now: number;
}

/** The spec hash a submit is compared by (an array's includes its range). */
export function submitHash(input: SubmitInput): string {
  return input.array
    ? contentHash({ spec: input.spec, array: { first: input.array.first, last: input.array.last } })
    : contentHash(input.spec);
}

/** The jobs a submit creates, first element first; ValidationError (field `array`) when malformed. */
export function newJobRecords(clock: Clock, input: SubmitInput): JobRecord[] {
  const base = {
    tenantId: input.tenantId,
    specHash: submitHash(input),
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
  };
  if (!input.array) {
    const id = newId('job', clock);
    return [
      {
        ...base,
        id,
        spec: input.spec,
        idempotencyKey: input.idempotencyKey,
        arrayId: null,
        arrayIndex: null,
      },
    ];
  }
  const indices = arrayIndices(input.array.first, input.array.last);
  const ids = indices.map(() => newId('job', clock)).sort();
  const arrayId = ids[0]!;
  return indices.map((index, i) => ({
    ...base,
    id: ids[i]!,
    spec: arrayElementSpec(input.spec, arrayId, index),
    idempotencyKey: i === 0 ? input.idempotencyKey : null,
    arrayId,
    arrayIndex: index,
  }));
}

/** A job's first history entry: it enters pending. */
export function submittedEntry(job: JobRecord): JobEventDraft {
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
