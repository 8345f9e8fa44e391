/**
 * Which of the tasks an agent runs it must stop: pure, so the rule is tested on its own. A task
 * is to stop when its job is unknown, it is not the job's current attempt, it already ended, it
 * belongs to another node, its job is being cancelled, or it is a rank of a multi-node job told
 * to stop because another rank failed. `attempts` holds the task on this node of each attempt.
 */
import { isAttemptActive, type AttemptRecord, type JobState } from '@gantry/domain';
import type { StopOrder } from '../api';

export interface JobAttemptState {
  readonly state: JobState;
  /** The job's current attempt number. */
  readonly attempt: number;
}

export function decideStopOrders(
  nodeId: string,
  running: readonly { jobId: string; attempt: number }[],
  jobs: ReadonlyMap<string, JobAttemptState>,
  attempts: ReadonlyMap<string, AttemptRecord>,
): StopOrder[] {
  const orders: StopOrder[] = [];
  const seen = new Set<string>();
  for (const task of running) {
    const key = attemptKey(task.jobId, task.attempt);
    if (seen.has(key)) continue;
    seen.add(key);
    const job = jobs.get(task.jobId);
    const attempt = attempts.get(key);
    const keep =
      job !== undefined &&
      attempt !== undefined &&
      job.attempt === task.attempt &&
      job.state !== 'cancelling' &&
      attempt.nodeId === nodeId &&
      attempt.stopReason !== 'GangStopped' &&
      isAttemptActive(attempt.state);
    const rank = attempt?.nodeId === nodeId ? attempt.rank : 0;
    if (!keep) orders.push({ jobId: task.jobId, attempt: task.attempt, rank, nodeId });
  }
  return orders;
}

export function attemptKey(jobId: string, attempt: number): string {
  return `${jobId}#${attempt}`;
}
