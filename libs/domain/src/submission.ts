/**
 * The records a submit creates, pure (the clock names the jobs): one pending job, or one per
 * element of a job array (ids in index order, the array id the first one's, every element with
 * the spec hash of the submitted spec and range, so a repeated submit with the same key finds
 * them; only the first carries the key), each with its first history entry.
 */
import { arrayElementSpec, arrayIndices } from './arrays';
import { contentHash } from './canonical';
import type { Clock } from './clock';
import { newId } from './ids';
import type { JobSpec } from './job-spec';
import { Reason } from './reasons';
import type { JobEventDraft, JobRecord } from './records';
import { isParentWorkload } from './workloads';

export interface SubmitRequest {
  readonly tenantId: string;
  readonly spec: JobSpec;
  /** null or '' for none. */
  readonly idempotencyKey: string | null;
  readonly array?: { readonly first: number; readonly last: number };
  readonly now: number;
}

/** The spec hash a repeated submit is compared by (an array's includes its range). */
export function submitHash(input: SubmitRequest): string {
  const { array } = input;
  return array
    ? contentHash({ spec: input.spec, array: { first: array.first, last: array.last } })
    : contentHash(input.spec);
}

/** The jobs a submit creates, first element first; ValidationError (field `array`) when malformed. */
export function newJobRecords(clock: Clock, input: SubmitRequest): JobRecord[] {
  const key = input.idempotencyKey === '' ? null : input.idempotencyKey;
  const parent = isParentWorkload(input.spec.workload);
  const base = {
    tenantId: input.tenantId,
    specHash: submitHash(input),
    // A parent (batch, RL) holds no GPUs: it runs from its submit, driven by the control plane.
    state: parent ? ('running' as const) : ('pending' as const),
    reason: parent ? Reason.Validating : Reason.Submitted,
    message: parent
      ? 'validating its input file'
      : `waiting in queue ${input.spec.queue} for the scheduler`,
    attempt: 0,
    progress: 0,
    exitCode: null,
    submittedAt: input.now,
    startedAt: parent ? input.now : null,
    endedAt: null,
    lastCheckpointAt: null,
    preemptions: 0,
    nominatedNodeIds: [],
    protectedUntil: 0,
  };
  if (!input.array) {
    const id = newId('job', clock);
    return [
      { ...base, id, spec: input.spec, idempotencyKey: key, arrayId: null, arrayIndex: null },
    ];
  }
  const indices = arrayIndices(input.array.first, input.array.last);
  const ids = indices.map(() => newId('job', clock)).sort();
  const arrayId = ids[0]!;
  return indices.map((index, i) => ({
    ...base,
    id: ids[i]!,
    spec: arrayElementSpec(input.spec, arrayId, index),
    idempotencyKey: i === 0 ? key : null,
    arrayId,
    arrayIndex: index,
  }));
}

/** A job's first history entry: it enters pending (there is no earlier state). */
export function submittedEntry(job: JobRecord): JobEventDraft {
  const element =
    job.arrayId === null ? '' : ` as element ${job.arrayIndex} of array ${job.arrayId}`;
  return {
    type: 'state_change',
    attempt: 0,
    from: 'pending',
    to: job.state,
    reason: job.reason,
    message: `submitted to queue ${job.spec.queue}${element}`,
  };
}
