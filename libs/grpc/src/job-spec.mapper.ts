/**
 * JobSpec between the wire and the domain. Proto3 cannot tell an unset string from an empty one,
 * so empty strings mean "unset" and the domain applies defaults; validation names fields by
 * their proto names (`spec.resources.gpu_model`).
 */
import type * as pb from '@gantry/proto';
import { DependencyCondition } from '@gantry/proto';
import type { DependencyCondition as Condition, JobSpec } from '@gantry/domain';
import { toProtoWorkload, workloadInput } from './workload.mapper';

const CONDITIONS: ReadonlyArray<[DependencyCondition, Condition]> = [
  [DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK, 'after-ok'],
  [DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY, 'after-any'],
  [DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED, 'after-failed'],
];

/** The domain's condition name; UNSPECIFIED is unset (after-ok), unknown values pass through to fail validation. */
function conditionName(condition: DependencyCondition): string | undefined {
  if (condition === DependencyCondition.DEPENDENCY_CONDITION_UNSPECIFIED) return undefined;
  return CONDITIONS.find(([value]) => value === condition)?.[1] ?? String(condition);
}

function durationSeconds(duration: pb.Duration | undefined): number | undefined {
  if (!duration) return undefined;
  return duration.seconds + duration.nanos / 1e9;
}

/** A protobuf Duration; nanoseconds are rounded and carried into seconds (never 1e9). */
export function toDuration(seconds: number): pb.Duration {
  const totalNanos = Math.round(seconds * 1e9);
  return { seconds: Math.floor(totalNanos / 1e9), nanos: totalNanos % 1e9 };
}

/** The proto spec as parseJobSpec's input (snake_case, unset fields undefined). */
export function specInput(spec: pb.JobSpec | undefined): unknown {
  if (!spec) return undefined;
  const workload = spec.workload;
  return {
    name: spec.name || undefined,
    queue: spec.queue || undefined,
    priority: spec.priority,
    priority_class: spec.priorityClass || undefined,
    dependencies:
      spec.dependencies.length > 0
        ? spec.dependencies.map((d) => ({ job_id: d.jobId, condition: conditionName(d.condition) }))
        : undefined,
    resources: spec.resources
      ? {
          gpus: spec.resources.gpus,
          gpu_model: spec.resources.gpuModel || undefined,
          nodes: spec.resources.nodes || undefined,
        }
      : undefined,
    labels: Object.keys(spec.labels).length > 0 ? spec.labels : undefined,
    time_limit_seconds: durationSeconds(spec.timeLimit),
    lease_id: spec.leaseId || undefined,
    command:
      workload?.$case === 'command'
        ? {
            argv: workload.command.argv,
            env: Object.keys(workload.command.env).length > 0 ? workload.command.env : undefined,
            working_dir: workload.command.workingDir || undefined,
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
    ...workloadInput(workload),
  };
}

export function toProtoSpec(spec: JobSpec): pb.JobSpec {
  const w = spec.workload;
  return {
    name: spec.name,
    queue: spec.queue,
    priority: spec.priority,
    priorityClass: spec.priorityClass,
    dependencies: spec.dependencies.map((d) => ({
      jobId: d.jobId,
      condition: CONDITIONS.find(([, name]) => name === d.condition)![0],
    })),
    resources: {
      gpus: spec.resources.gpus,
      gpuModel: spec.resources.gpuModel ?? '',
      nodes: spec.resources.nodes,
    },
    labels: { ...spec.labels },
    timeLimit: spec.timeLimitSeconds === null ? undefined : toDuration(spec.timeLimitSeconds),
    ...(spec.leaseId ? { leaseId: spec.leaseId } : {}),
    workload:
      w.kind === 'command'
        ? {
            $case: 'command',
            command: { argv: [...w.argv], env: { ...w.env }, workingDir: w.workingDir ?? '' },
          }
        : w.kind === 'simulated'
          ? {
              $case: 'simulated',
              simulated: { gpuSeconds: w.gpuSeconds, exitCode: w.exitCode, seed: w.seed },
            }
          : toProtoWorkload(w, toDuration),
  };
}
