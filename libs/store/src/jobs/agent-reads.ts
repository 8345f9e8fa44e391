/** What the agent gateway and the cancel reconciler read about attempts. */
import type { Kysely } from 'kysely';
import { ACTIVE_ATTEMPT_STATES, type AttemptRecord, type JobState } from '@gantry/domain';
import type { StopOrder } from '../api';
import { attemptFromRow } from '../mappers/jobs';
import type { Schema } from '../schema';
import { attemptKey, decideStopOrders, type JobAttemptState } from './stop-orders';
import { anyOf } from '../database/any-of';

export async function activeAttemptsOn(
  db: Kysely<Schema>,
  nodeId: string,
): Promise<AttemptRecord[]> {
  const rows = await db
    .selectFrom('attempts')
    .selectAll()
    .where('node_id', '=', nodeId)
    .where('state', 'in', [...ACTIVE_ATTEMPT_STATES])
    .orderBy('job_id')
    .execute();
  return rows.map(attemptFromRow);
}

export async function stopOrders(
  db: Kysely<Schema>,
  nodeId: string,
  running: readonly { jobId: string; attempt: number }[],
): Promise<StopOrder[]> {
  if (running.length === 0) return [];
  const jobIds = [...new Set(running.map((r) => r.jobId))];
  const jobRows = await db
    .selectFrom('jobs')
    .select(['id', 'state', 'attempt'])
    .where('id', '=', anyOf(jobIds))
    .execute();
  // A node holds at most one rank of an attempt: its row is the one on this node.
  const attemptRows = await db
    .selectFrom('attempts')
    .selectAll()
    .where('job_id', '=', anyOf(jobIds))
    .where('node_id', '=', nodeId)
    .execute();
  const jobs = new Map<string, JobAttemptState>(
    jobRows.map((row) => [row.id, { state: row.state as JobState, attempt: row.attempt }]),
  );
  const attempts = new Map(
    attemptRows.map((row) => [attemptKey(row.job_id, row.number), attemptFromRow(row)]),
  );
  return decideStopOrders(nodeId, running, jobs, attempts);
}

/** Stop orders of the active tasks of current attempts that match `where`. */
function activeTasks(db: Kysely<Schema>) {
  return db
    .selectFrom('jobs')
    .innerJoin('attempts', (join) =>
      join.onRef('attempts.job_id', '=', 'jobs.id').onRef('attempts.number', '=', 'jobs.attempt'),
    )
    .select([
      'jobs.id',
      'jobs.priority_class',
      'attempts.number',
      'attempts.rank',
      'attempts.node_id',
    ])
    .where('attempts.state', 'in', [...ACTIVE_ATTEMPT_STATES])
    .orderBy('jobs.id')
    .orderBy('attempts.rank');
}

type TaskRow = { id: string; number: number; rank: number; node_id: string };

function stopOrderOf(row: TaskRow): StopOrder {
  return { jobId: row.id, attempt: row.number, rank: row.rank, nodeId: row.node_id };
}

/** The active tasks of jobs being cancelled, to resend their stop orders. */
export async function cancellingAttempts(db: Kysely<Schema>): Promise<StopOrder[]> {
  const rows = await activeTasks(db).where('jobs.state', '=', 'cancelling').execute();
  return rows.map(stopOrderOf);
}

/** Active tasks told to stop for a preemption, to resend their stop orders. */
export async function preemptingAttempts(
  db: Kysely<Schema>,
): Promise<Array<StopOrder & { priorityClass: string }>> {
  const rows = await activeTasks(db).where('attempts.stop_reason', '=', 'Preempted').execute();
  return rows.map((row) => ({ ...stopOrderOf(row), priorityClass: row.priority_class }));
}

/** Active ranks of multi-node jobs told to stop because another rank failed, to resend. */
export async function gangStoppedAttempts(db: Kysely<Schema>): Promise<StopOrder[]> {
  const rows = await activeTasks(db)
    .where('attempts.stop_reason', '=', 'GangStopped')
    .where('jobs.state', '!=', 'cancelling')
    .execute();
  return rows.map(stopOrderOf);
}
