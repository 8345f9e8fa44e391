/**
 * Multi-node (gang) jobs: an attempt has one row per node, told apart by `rank` (0 for the
 * single node of every earlier attempt). Each rank row keeps its own node, GPUs, state, agent
 * sequence and end reason, so a gang's GPUs free up node by node as its tasks exit, and the job
 * settles when its last rank has. `stop_reason` gains GangStopped: a rank told to stop because
 * another rank of its attempt failed. One statement per entry (PGlite runs one at a time).
 */
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  `alter table attempts
    add column rank integer not null default 0 check (rank >= 0),
    add column end_reason text not null default '',
    drop constraint attempts_stop_reason_check,
    add constraint attempts_stop_reason_check
      check (stop_reason in ('', 'Preempted', 'GangStopped')),
    drop constraint attempts_pkey,
    add primary key (job_id, number, rank)`,
  `alter table jobs add column nodes integer not null default 1 check (nodes >= 1)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) {
    await sql.raw(statement).execute(db);
  }
}
