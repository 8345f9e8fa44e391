/** What the scheduler leader and the dispatcher read: pending jobs, allocations, dispatch work. */
import type { Kysely } from 'kysely';
import { ACTIVE_ATTEMPT_STATES, TERMINAL_JOB_STATES, type JobRecord } from '@gantry/domain';
import type { Allocation, ChangedJob, DispatchWork, GangMember } from '../api';
import { jobFromRow, specFromRow, toRecord } from '../mappers/jobs';
import { toMs } from '../mappers/time';
import type { Schema } from '../schema';
import { anyOf } from '../database/any-of';

export async function loadPending(
  db: Kysely<Schema>,
  jobIds: readonly string[],
): Promise<JobRecord[]> {
  if (jobIds.length === 0) return [];
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', anyOf(jobIds))
    .where('state', '=', 'pending')
    .where('lease_id', 'is', null) // a renter's job is placed in its lease, not by the policy
    .execute();
  return rows.map((row) => toRecord(jobFromRow(row)));
}

/**
 * Reads attempts (rank 0 of each, ended after starting) of the given jobs; writes nothing.
 * Per job, the seconds those attempts ran in all: what aging does not count as waiting.
 */
export async function earlierRunSeconds(
  db: Kysely<Schema>,
  jobIds: readonly string[],
): Promise<Map<string, number>> {
  const ran = new Map<string, number>();
  if (jobIds.length === 0) return ran;
  const rows = await db
    .selectFrom('attempts')
    .select(['job_id', 'started_at', 'ended_at'])
    .where('job_id', '=', anyOf(jobIds))
    .where('rank', '=', 0)
    .where('started_at', 'is not', null)
    .where('ended_at', 'is not', null)
    .execute();
  for (const row of rows) {
    const seconds = Math.max(0, (toMs(row.ended_at!) - toMs(row.started_at!)) / 1000);
    ran.set(row.job_id, (ran.get(row.job_id) ?? 0) + seconds);
  }
  return ran;
}

/**
 * Pending jobs that could run now, paged by id: a job still waiting for a job it depends on to
 * end is left out, so it takes no place among the scheduler's heads (it enters the index when
 * the reconciler next looks after that job has ended).
 */
export async function pendingEntries(
  db: Kysely<Schema>,
  afterJobId: string,
  limit: number,
): Promise<ChangedJob[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'priority', 'submitted_at'])
    .where('state', '=', 'pending')
    .where('lease_id', 'is', null)
    .where('id', '>', afterJobId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('job_dependencies')
            .innerJoin('jobs as dependency', 'dependency.id', 'job_dependencies.depends_on')
            .select('job_dependencies.job_id')
            .whereRef('job_dependencies.job_id', '=', 'jobs.id')
            .where('dependency.state', 'not in', [...TERMINAL_JOB_STATES]),
        ),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    state: 'pending',
    priority: row.priority,
    submittedAt: toMs(row.submitted_at),
  }));
}

export async function activeAllocations(db: Kysely<Schema>): Promise<Allocation[]> {
  const rows = await db
    .selectFrom('attempts')
    .select(['node_id', 'job_id', 'number', 'gpu_indices'])
    .where('state', 'in', [...ACTIVE_ATTEMPT_STATES])
    .orderBy('node_id')
    .orderBy('job_id')
    .execute();
  return rows.map((row) => ({
    nodeId: row.node_id,
    jobId: row.job_id,
    attempt: row.number,
    gpuIndices: row.gpu_indices,
  }));
}

/**
 * Dispatching tasks of attempts that are still their job's current one, the job still
 * scheduled, not told to stop; for a multi-node job with every rank's node (the rendezvous).
 */
export async function dispatchingWork(
  db: Kysely<Schema>,
  only?: { jobId: string; attempt: number; rank: number },
): Promise<DispatchWork[]> {
  let select = db
    .selectFrom('attempts')
    .innerJoin('jobs', (join) =>
      join.onRef('jobs.id', '=', 'attempts.job_id').onRef('jobs.attempt', '=', 'attempts.number'),
    )
    .select([
      'attempts.job_id',
      'attempts.number',
      'attempts.rank',
      'attempts.node_id',
      'attempts.gpu_indices',
      'jobs.spec',
      'jobs.priority_class',
      'jobs.nodes',
    ])
    .where('attempts.state', '=', 'dispatching')
    .where('attempts.stop_reason', '=', '')
    .where('jobs.state', '=', 'scheduled');
  if (only) {
    select = select
      .where('attempts.job_id', '=', only.jobId)
      .where('attempts.number', '=', only.attempt)
      .where('attempts.rank', '=', only.rank);
  }
  const rows = await select.orderBy('attempts.job_id').orderBy('attempts.rank').execute();
  const gangs = await gangMembers(
    db,
    rows.filter((row) => row.nodes > 1).map((row) => row.job_id),
  );
  return rows.map((row) => {
    const gang = gangs.get(`${row.job_id}#${row.number}`);
    return {
      jobId: row.job_id,
      attempt: row.number,
      rank: row.rank,
      nodeId: row.node_id,
      gpuIndices: row.gpu_indices,
      spec: specFromRow(row.spec, row.priority_class),
      ...(row.nodes > 1 && gang ? { gang } : {}),
    };
  });
}

/** Every rank's node of the current attempts of these jobs, by `jobId#attempt`, in rank order. */
async function gangMembers(
  db: Kysely<Schema>,
  jobIds: readonly string[],
): Promise<Map<string, GangMember[]>> {
  const members = new Map<string, GangMember[]>();
  if (jobIds.length === 0) return members;
  const rows = await db
    .selectFrom('attempts')
    .innerJoin('jobs', (join) =>
      join.onRef('jobs.id', '=', 'attempts.job_id').onRef('jobs.attempt', '=', 'attempts.number'),
    )
    .innerJoin('nodes', 'nodes.id', 'attempts.node_id')
    .select([
      'attempts.job_id',
      'attempts.number',
      'attempts.rank',
      'attempts.node_id',
      'nodes.name',
      'nodes.address',
    ])
    .where('attempts.job_id', '=', anyOf([...new Set(jobIds)]))
    .orderBy('attempts.job_id')
    .orderBy('attempts.rank')
    .execute();
  for (const row of rows) {
    const key = `${row.job_id}#${row.number}`;
    const list = members.get(key) ?? [];
    list.push({ rank: row.rank, nodeId: row.node_id, nodeName: row.name, address: row.address });
    members.set(key, list);
  }
  return members;
}
