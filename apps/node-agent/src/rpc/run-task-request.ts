import {
  parseJobSpec,
  ValidationError,
  type FieldViolation,
  type JobSpecInput,
} from '@gantry/domain';
import type { JobSpec, RunTaskRequest } from '@gantry/proto';
import type { RunTaskCommand } from '../tasks/task-supervisor';

/** Task ids name directories on the node: keep them to a safe alphabet. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** A protobuf JobSpec in the JSON form parseJobSpec validates (field names as clients write them). */
export function jobSpecInput(spec: JobSpec): JobSpecInput {
  const workload = spec.workload;
  const timeLimit = spec.timeLimit
    ? spec.timeLimit.seconds + spec.timeLimit.nanos / 1e9
    : undefined;
  return {
    name: spec.name,
    queue: spec.queue,
    priority: spec.priority,
    resources: spec.resources
      ? { gpus: spec.resources.gpus, gpu_model: spec.resources.gpuModel }
      : undefined,
    labels: spec.labels,
    time_limit_seconds: timeLimit,
    command:
      workload?.$case === 'command'
        ? {
            argv: workload.command.argv,
            env: workload.command.env,
            working_dir: workload.command.workingDir,
          }
        : undefined,
    simulated:
      workload?.$case === 'simulated'
        ? {
            gpu_seconds: workload.simulated.gpuSeconds,
            exit_code: workload.simulated.exitCode,
            seed: workload.simulated.seed,
          }
        : undefined,
  };
}

/**
 * Validates a RunTask request against this node: a task ref with task_id, job_id and an
 * attempt of at least 1; a valid spec; GPU indices this node has, each once, as many as the
 * spec asks for, of the model it asks for. Throws ValidationError naming every bad field.
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
  const spec = parseJobSpec(jobSpecInput(request.spec!), 'spec');

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
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    ref: { taskId: task!.taskId, jobId: task!.jobId, attempt: task!.attempt },
    workload: spec.workload,
    gpuIndices: [...indices],
    timeLimitMs: spec.timeLimitSeconds === null ? null : spec.timeLimitSeconds * 1000,
  };
}
