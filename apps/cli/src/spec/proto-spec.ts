import { type JobSpec } from '@gantry/domain';
import { type JobSpec as ProtoJobSpec } from '@gantry/proto';
import { protoCondition } from './array-and-dependencies';

/**
 * The validated spec as the gantry.v1 message. Defaults are already applied, so the server
 * receives exactly what was checked (priority 0 included, which proto3 could not tell from
 * unset otherwise).
 */
export function toProtoSpec(spec: JobSpec): ProtoJobSpec {
  const limit = spec.timeLimitSeconds;
  return {
    name: spec.name,
    queue: spec.queue,
    priority: spec.priority,
    priorityClass: spec.priorityClass,
    dependencies: spec.dependencies.map((d) => ({
      jobId: d.jobId,
      condition: protoCondition(d.condition),
    })),
    resources: {
      gpus: spec.resources.gpus,
      gpuModel: spec.resources.gpuModel ?? '',
      nodes: spec.resources.nodes,
    },
    labels: { ...spec.labels },
    timeLimit:
      limit === null
        ? undefined
        : { seconds: Math.floor(limit), nanos: Math.round((limit % 1) * 1e9) },
    workload:
      spec.workload.kind === 'command'
        ? {
            $case: 'command',
            command: {
              argv: [...spec.workload.argv],
              env: { ...spec.workload.env },
              workingDir: spec.workload.workingDir ?? '',
            },
          }
        : {
            $case: 'simulated',
            simulated: {
              gpuSeconds: spec.workload.gpuSeconds,
              exitCode: spec.workload.exitCode,
              seed: spec.workload.seed,
            },
          },
  };
}
