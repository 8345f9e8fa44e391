import type { GangPlacement, TaskAttemptRef } from '../backend';

/**
 * The environment of a `process` task, built from scratch (nothing else of the agent's own
 * environment leaks in): the base the agent's config provides (PATH, HOME, LANG), then the
 * job's env, then what the agent sets and a job may not: CUDA_VISIBLE_DEVICES (the allocated
 * indices, comma-separated; '' for a task without GPUs, so it sees none), the task's ids, and
 * for a task of a multi-node job its place in the gang (gangEnvironment).
 */
export function taskEnvironment(
  base: Readonly<Record<string, string>>,
  jobEnv: Readonly<Record<string, string>>,
  gpuIndices: readonly number[],
  task: TaskAttemptRef,
  gang?: GangPlacement,
): Record<string, string> {
  return {
    ...base,
    ...jobEnv,
    CUDA_VISIBLE_DEVICES: gpuIndices.join(','),
    GANTRY_JOB_ID: task.jobId,
    GANTRY_TASK_ID: task.taskId,
    GANTRY_ATTEMPT: String(task.attempt),
    ...(gang ? gangEnvironment(gang, gpuIndices.length) : {}),
  };
}

/**
 * A multi-node job's rendezvous, in Gantry's names and in the names PyTorch reads, so that
 * `torchrun train.py` (which takes PET_NNODES, PET_NODE_RANK, PET_NPROC_PER_NODE,
 * PET_MASTER_ADDR and PET_MASTER_PORT from the environment) or a plain
 * `torch.distributed.init_process_group` (MASTER_ADDR, MASTER_PORT) needs no flags. RANK and
 * WORLD_SIZE are left to the launcher: they count processes, not nodes.
 */
export function gangEnvironment(gang: GangPlacement, gpusPerNode: number): Record<string, string> {
  const nodes = String(gang.size);
  const rank = String(gang.rank);
  const port = String(gang.masterPort);
  const perNode = String(Math.max(1, gpusPerNode));
  return {
    GANTRY_NODE_RANK: rank,
    GANTRY_NUM_NODES: nodes,
    GANTRY_MASTER_ADDR: gang.masterHost,
    GANTRY_MASTER_PORT: port,
    GANTRY_GANG_NODES: gang.nodeNames.join(','),
    NODE_RANK: rank,
    NNODES: nodes,
    MASTER_ADDR: gang.masterHost,
    MASTER_PORT: port,
    PET_NNODES: nodes,
    PET_NODE_RANK: rank,
    PET_NPROC_PER_NODE: perNode,
    PET_MASTER_ADDR: gang.masterHost,
    PET_MASTER_PORT: port,
  };
}

/** The environment entries that mark a process as belonging to one task attempt. */
export function attemptMarkers(task: Pick<TaskAttemptRef, 'taskId' | 'attempt'>): string[] {
  return [`GANTRY_TASK_ID=${task.taskId}`, `GANTRY_ATTEMPT=${task.attempt}`];
}
