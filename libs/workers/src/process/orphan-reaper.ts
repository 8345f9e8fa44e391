import type { WorkerLog } from '../ports';
import type { ProcessGroupRecords } from './process-groups';
import type { ProcessTable } from './process-table';
import { attemptMarkers } from './task-environment';

/** Sends a signal to one process; false when it no longer exists. */
export type SignalProcess = (pid: number, signal: NodeJS.Signals) => boolean;

export const signalProcess: SignalProcess = (pid, signal) => {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
};

export interface ReapedGroup {
  readonly pgid: number;
  readonly taskId: string;
  readonly attempt: number;
  readonly killed: readonly number[];
}

/**
 * Kills what a crashed predecessor left running. Every process-group record still on disk
 * belongs to a task whose agent died before the task ended: each live member of that group
 * that carries the task's markers in its environment (GANTRY_TASK_ID and GANTRY_ATTEMPT) gets
 * SIGKILL, and the record is removed. Checking the markers, not just the group id, keeps a
 * reused process-group id from costing an unrelated process its life. Run once at start-up,
 * before the agent takes tasks.
 */
export async function reapOrphans(
  records: ProcessGroupRecords,
  table: ProcessTable,
  kill: SignalProcess,
  log: WorkerLog,
): Promise<ReapedGroup[]> {
  const reaped: ReapedGroup[] = [];
  for (const record of await records.list()) {
    const markers = attemptMarkers(record);
    const members = await table.membersOf(record.pgid);
    const ours = members.filter((m) => markers.every((marker) => m.environ?.includes(marker)));
    const killed = ours.filter((m) => kill(m.pid, 'SIGKILL')).map((m) => m.pid);
    if (killed.length > 0) {
      log.warn(
        { taskId: record.taskId, attempt: record.attempt, pgid: record.pgid, pids: killed },
        'killed processes of a task left running by a previous agent',
      );
      reaped.push({ pgid: record.pgid, taskId: record.taskId, attempt: record.attempt, killed });
    }
    await records.remove(record.pgid);
  }
  return reaped;
}
