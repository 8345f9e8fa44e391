import { parseJobSpec, ValidationError, type FieldViolation } from '@gantry/domain';
import { specInput } from '@gantry/grpc';
import type { RunTaskRequest } from '@gantry/proto';
import type { GangPlacement } from '@gantry/workers';
import type { RunTaskCommand } from '../tasks/task-supervisor';

/** Task ids name directories on the node: keep them to a safe alphabet. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Validates a RunTask request against this node: a task ref with task_id, job_id and an
 * attempt of at least 1; a valid spec; GPU indices this node has, each once, as many as the
 * spec asks for, of the model it asks for; for a multi-node spec, a gang that matches it (its
 * rank the task's, its size the spec's nodes, a master host and port). Throws ValidationError
 * naming every bad field.
 */
export function parseRunTask(
  request: RunTaskRequest,
  gpuModels: ReadonlyMap<number, string | null>,
): RunTaskCommand {
  const problems: FieldViolation[] = [];
  const task = request.task;
  if (!task) problems.push({ field: 'task', message: 'is required' });
  else {
    if (!TASK_ID.test(task.taskId))
      problems.push({
        field: 'task.task_id',
        message: 'must be 1-128 letters, digits, _ . : - (starting with a letter or digit)',
      });
    if (!task.jobId) problems.push({ field: 'task.job_id', message: 'is required' });
    if (!(task.attempt >= 1))
      problems.push({ field: 'task.attempt', message: 'must be at least 1' });
  }
  if (!request.spec) problems.push({ field: 'spec', message: 'is required' });
  if (problems.length > 0) throw new ValidationError(problems);
  const spec = parseJobSpec(specInput(request.spec), 'spec');

  const indices = request.gpuIndices;
  const have = [...gpuModels.keys()].sort((a, b) => a - b);
  indices.forEach((index, i) => {
    if (!gpuModels.has(index))
      problems.push({
        field: `gpu_indices[${i}]`,
        message: `GPU ${index} is not on this node (it has ${have.length === 0 ? 'no GPUs' : `GPUs ${have.join(', ')}`})`,
      });
    else if (indices.indexOf(index) !== i)
      problems.push({ field: `gpu_indices[${i}]`, message: `GPU ${index} is listed twice` });
    else if (spec.resources.gpuModel && gpuModels.get(index) !== spec.resources.gpuModel)
      problems.push({
        field: `gpu_indices[${i}]`,
        message: `GPU ${index} is model ${gpuModels.get(index) ?? '(unknown)'}, the spec asks for ${spec.resources.gpuModel}`,
      });
  });
  if (indices.length !== spec.resources.gpus)
    problems.push({
      field: 'gpu_indices',
      message: `has ${indices.length} GPU(s); spec.resources.gpus asks for ${spec.resources.gpus}`,
    });
  const gang = parseGang(request, spec.resources.nodes, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    ref: { taskId: task!.taskId, jobId: task!.jobId, attempt: task!.attempt, rank: task!.rank },
    workload: spec.workload,
    gpuIndices: [...indices],
    timeLimitMs: spec.timeLimitSeconds === null ? null : spec.timeLimitSeconds * 1000,
    ...(gang ? { gang } : {}),
    ...(spec.leaseId ? { leaseId: spec.leaseId } : {}),
  };
}

function parseGang(
  request: RunTaskRequest,
  nodes: number,
  problems: FieldViolation[],
): GangPlacement | undefined {
  const { gang, task } = request;
  if (nodes === 1) {
    if (gang) problems.push({ field: 'gang', message: 'is set, but the spec asks for one node' });
    if (task!.rank !== 0)
      problems.push({ field: 'task.rank', message: 'must be 0 for a single-node job' });
    return undefined;
  }
  if (!gang) {
    problems.push({ field: 'gang', message: `is required: the spec asks for ${nodes} nodes` });
    return undefined;
  }
  if (gang.size !== nodes)
    problems.push({
      field: 'gang.size',
      message: `is ${gang.size}; the spec asks for ${nodes} nodes`,
    });
  if (!(gang.rank >= 0 && gang.rank < nodes))
    problems.push({ field: 'gang.rank', message: `must be 0-${nodes - 1}` });
  if (gang.rank !== task!.rank)
    problems.push({
      field: 'gang.rank',
      message: `is ${gang.rank}, but task.rank is ${task!.rank}`,
    });
  if (!gang.masterHost) problems.push({ field: 'gang.master_host', message: 'is required' });
  if (!(gang.masterPort >= 1 && gang.masterPort <= 65535))
    problems.push({ field: 'gang.master_port', message: 'must be 1-65535' });
  if (gang.nodeNames.length !== nodes)
    problems.push({ field: 'gang.node_names', message: `must name ${nodes} nodes` });
  return { ...gang, nodeNames: [...gang.nodeNames] };
}
