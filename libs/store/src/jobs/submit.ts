import type { Kysely, Transaction } from 'kysely';
import {
  AlreadyExistsError,
  NotFoundError,
  ValidationError,
  type Clock,
  type FieldViolation,
} from '@gantry/domain';
import type { JobView } from '../api';
import { anyOf } from '../database/any-of';
import { jobFromRow, jobToRow, type StoredJob } from '../mappers/jobs';
import type { Schema } from '../schema';
import { insertEntriesAndDependencies, insertJobs, newJobs, type SubmitInput } from './new-jobs';
import { loadViews } from './views';

export type { SubmitInput } from './new-jobs';

/**
 * Transaction "submit". Reads: tenants (the owner exists), priority_classes (the spec's class
 * exists), jobs (the dependencies are the tenant's jobs; the idempotency key's job and, for an
 * array, its elements). Writes: one jobs row per job (pending, reason Submitted; an array has
 * one per index), each one's first job_events entry (seq 1) and its job_dependencies rows.
 * With a key, the unique index (tenant_id, idempotency_key) on the first job decides races: the
 * loser inserts nothing and reads the winner's jobs. Same spec (and range): those jobs,
 * created=false; another: AlreadyExistsError naming the job. Committed before it returns (an
 * acknowledged submit is durable). Emits: nothing.
 */
export async function submitJob(
  db: Kysely<Schema>,
  clock: Clock,
  input: SubmitInput,
): Promise<{ job: JobView; created: boolean; arrayJobIds: string[] }> {
  const jobs = newJobs(clock, input);
  const first = jobs[0]!;
  const { ids, created } = await db.transaction().execute(async (trx) => {
    await checkReferences(trx, input);
    const inserted = await trx
      .insertInto('jobs')
      .values(jobToRow(first))
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'idempotency_key'])
          .where('idempotency_key', 'is not', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await insertJobs(trx, jobs.slice(1));
      await insertEntriesAndDependencies(trx, jobs, input.now);
      return { ids: jobs.map((job) => job.id), created: true };
    }
    return { ids: await earlierJobs(trx, first), created: false };
  });
  const [view] = await loadViews(db, [ids[0]!]);
  if (!view) throw new NotFoundError('job', ids[0]!);
  return { job: view, created, arrayJobIds: view.arrayId === null ? [] : ids };
}

/** The owner, the class and the dependencies must exist (dependencies among its own jobs). */
async function checkReferences(trx: Transaction<Schema>, input: SubmitInput): Promise<void> {
  const tenant = await trx
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', input.tenantId)
    .executeTakeFirst();
  if (!tenant) throw new NotFoundError('tenant', input.tenantId);
  const problems: FieldViolation[] = [];
  const classes = await trx
    .selectFrom('priority_classes')
    .select('name')
    .orderBy('priority', 'desc')
    .execute();
  if (!classes.some((c) => c.name === input.spec.priorityClass)) {
    problems.push({
      field: 'spec.priority_class',
      message: `no priority class named "${input.spec.priorityClass}" (one of ${classes.map((c) => c.name).join(', ')})`,
    });
  }
  const wanted = input.spec.dependencies.map((d) => d.jobId);
  if (wanted.length > 0) {
    const rows = await trx
      .selectFrom('jobs')
      .select('id')
      .where('id', '=', anyOf(wanted))
      .where('tenant_id', '=', input.tenantId)
      .execute();
    const found = new Set(rows.map((row) => row.id));
    wanted.forEach((id, i) => {
      if (!found.has(id))
        problems.push({ field: `spec.dependencies[${i}].job_id`, message: `no job ${id}` });
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/** The jobs an earlier submit with the same key made (AlreadyExistsError for another spec). */
async function earlierJobs(trx: Transaction<Schema>, job: StoredJob): Promise<string[]> {
  const existing = await trx
    .selectFrom('jobs')
    .selectAll()
    .where('tenant_id', '=', job.tenantId)
    .where('idempotency_key', '=', job.idempotencyKey ?? '')
    .executeTakeFirstOrThrow();
  const found = jobFromRow(existing);
  if (found.specHash !== job.specHash) {
    throw new AlreadyExistsError(
      `idempotency key "${job.idempotencyKey}" was already used for job ${found.id} with a different spec`,
    );
  }
  if (found.arrayId === null) return [found.id];
  const elements = await trx
    .selectFrom('jobs')
    .select('id')
    .where('array_id', '=', found.arrayId)
    .orderBy('array_index')
    .execute();
  return elements.map((row) => row.id);
}
