import type { Kysely } from 'kysely';
import {
  AlreadyExistsError,
  contentHash,
  newId,
  NotFoundError,
  Reason,
  type Clock,
  type JobEventDraft,
  type JobSpec,
} from '@gantry/domain';
import type { JobView } from '../api';
import { jobFromRow, jobToRow, eventToRow, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { loadViews } from './views';

export interface SubmitInput {
  readonly tenantId: string;
  readonly spec: JobSpec;
  readonly idempotencyKey: string | null;
  readonly now: number;
}

/**
 * Transaction "submit". Reads: tenants (the owner exists), jobs (the idempotency key's job).
 * Writes: one jobs row (pending, reason Submitted) and its first job_events entry (seq 1).
 * With a key, the unique index (tenant_id, idempotency_key) decides races: the loser inserts
 * nothing and reads the winner's job. Same spec: that job, created=false; another spec:
 * AlreadyExistsError naming it. Committed before it returns (an acknowledged submit is durable).
 */
export async function submitJob(
  db: Kysely<Schema>,
  clock: Clock,
  input: SubmitInput,
): Promise<{ job: JobView; created: boolean }> {
  const job = newJob(clock, input);
  const { id, created } = await db.transaction().execute(async (trx) => {
    const tenant = await trx
      .selectFrom('tenants')
      .select('id')
      .where('id', '=', input.tenantId)
      .executeTakeFirst();
    if (!tenant) throw new NotFoundError('tenant', input.tenantId);
    const inserted = await trx
      .insertInto('jobs')
      .values(jobToRow(job))
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'idempotency_key'])
          .where('idempotency_key', 'is not', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await trx
        .insertInto('job_events')
        .values(eventToRow(job.id, 1, input.now, submittedEvent(job)))
        .execute();
      return { id: job.id, created: true };
    }
    const existing = await trx
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('idempotency_key', '=', job.idempotencyKey ?? '')
      .executeTakeFirstOrThrow();
    const found = jobFromRow(existing);
    if (found.specHash !== job.specHash) {
      throw new AlreadyExistsError(
        `idempotency key "${job.idempotencyKey}" was already used for job ${found.id} with a different spec`,
      );
    }
    return { id: found.id, created: false };
  });
  const [view] = await loadViews(db, [id]);
  if (!view) throw new NotFoundError('job', id);
  return { job: view, created };
}

function newJob(clock: Clock, input: SubmitInput): StoredJob {
  return {
    id: newId('job', clock),
    tenantId: input.tenantId,
    spec: input.spec,
    specHash: contentHash(input.spec),
    idempotencyKey: input.idempotencyKey === '' ? null : input.idempotencyKey,
    state: 'pending',
    reason: Reason.Submitted,
    message: `waiting in queue ${input.spec.queue} for the scheduler`,
    attempt: 0,
    progress: 0,
    exitCode: null,
    submittedAt: input.now,
    startedAt: null,
    endedAt: null,
    lastEventSeq: 1,
  };
}

/** The first history entry: the job enters pending (there is no earlier state). */
function submittedEvent(job: StoredJob): JobEventDraft {
  return {
    type: 'state_change',
    attempt: 0,
    from: 'pending',
    to: 'pending',
    reason: job.reason,
    message: `submitted to queue ${job.spec.queue}`,
  };
}
