import { ValidationError } from '@gantry/domain';
import type { CancelTaskRequest } from '@gantry/proto';
import { STOP_REASON_TEXT, type StopReason, type TaskAttemptRef } from '@gantry/workers';
import { durationMs, fromTaskRef } from '../protocol/mapping';

/** What a CancelTask asks the supervisor to do. */
export interface CancelTaskCommand {
  readonly ref: TaskAttemptRef;
  /** SIGTERM to SIGKILL; null: the agent's GANTRY_KILL_GRACE_SECONDS. */
  readonly graceMs: number | null;
  /** Cancelled, Preempted or GangStopped: what the task's exit event will say. */
  readonly reason: Extract<StopReason, 'Cancelled' | 'Preempted' | 'GangStopped'>;
  /** For the exit message and the agent's log. */
  readonly message: string;
}

/**
 * Reads a CancelTask request. `reason` is "Cancelled" (also when empty), "Preempted" or
 * "GangStopped" (another rank of the task's multi-node job failed), in any letter case; any other text still cancels (reason Cancelled, the text kept in the message:
 * `cancelled: <text>`), so an older control plane's free-text reasons keep working. A
 * grace_period that is present but zero or negative means SIGKILL at once.
 */
export function parseCancelTask(request: CancelTaskRequest): CancelTaskCommand {
  if (!request.task?.taskId) throw ValidationError.field('task.task_id', 'is required');
  const graceMs = request.gracePeriod ? (durationMs(request.gracePeriod) ?? 0) : null;
  const given = request.reason.trim();
  const ref = fromTaskRef(request.task);
  switch (given.toLowerCase()) {
    case 'preempted':
      return { ref, graceMs, reason: 'Preempted', message: 'preempted' };
    case 'gangstopped':
      return { ref, graceMs, reason: 'GangStopped', message: STOP_REASON_TEXT.GangStopped };
    case '':
    case 'cancelled':
      return { ref, graceMs, reason: 'Cancelled', message: 'cancelled' };
    default:
      return { ref, graceMs, reason: 'Cancelled', message: `cancelled: ${given}` };
  }
}
