import type { TaskAttemptRef } from '../backend';

/**
 * The environment of a `process` task, built from scratch (nothing else of the agent's own
 * environment leaks in): the base the agent's config provides (PATH, HOME, LANG), then the
 * job's env, then what the agent sets and a job may not: CUDA_VISIBLE_DEVICES (the allocated
 * indices, comma-separated; '' for a task without GPUs, so it sees none) and the task's ids.
 */
export function taskEnvironment(
  base: Readonly<Record<string, string>>,
  jobEnv: Readonly<Record<string, string>>,
  gpuIndices: readonly number[],
  task: TaskAttemptRef,
): Record<string, string> {
  return {
    ...base,
    ...jobEnv,
    CUDA_VISIBLE_DEVICES: gpuIndices.join(','),
    GANTRY_JOB_ID: task.jobId,
    GANTRY_TASK_ID: task.taskId,
    GANTRY_ATTEMPT: String(task.attempt),
  };
}

/** The environment entries that mark a process as belonging to one task attempt. */
export function attemptMarkers(task: Pick<TaskAttemptRef, 'taskId' | 'attempt'>): string[] {
  return [`GANTRY_TASK_ID=${task.taskId}`, `GANTRY_ATTEMPT=${task.attempt}`];
}
