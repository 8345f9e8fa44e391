import { DependencyCondition } from '@gantry/proto';
import {
  double,
  duration,
  int32,
  list,
  message,
  string,
  stringMap,
  uint32,
  type EnumShape,
  type MessageShape,
} from './shapes';
import { inferenceBatchShape, reasoningShape, rlSyntheticShape } from './workload-shapes';

const condition: EnumShape = {
  kind: 'enum',
  accepted: 'after-ok, after-any or after-failed',
  values: {
    'after-ok': DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK,
    'after-any': DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY,
    'after-failed': DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED,
    DEPENDENCY_CONDITION_AFTER_OK: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK,
    DEPENDENCY_CONDITION_AFTER_ANY: DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY,
    DEPENDENCY_CONDITION_AFTER_FAILED: DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED,
  },
};

/**
 * A job spec file: gantry.v1.JobSpec's fields by their protobuf JSON names (snake_case), with
 * `time_limit` as a duration (`1h30m` or seconds) and exactly one workload. `shard` and `lease`
 * are the control plane's own and refused; `lease_id` runs a renter's job inside its lease.
 */
export const jobSpecShape: MessageShape = message(
  {
    name: string,
    queue: string,
    priority: int32,
    priority_class: string,
    resources: message({ gpus: int32, gpu_model: string, nodes: int32 }),
    labels: stringMap,
    time_limit: duration,
    dependencies: list(message({ job_id: string, condition })),
    lease_id: string,
  },
  {
    oneofs: [
      {
        name: 'workload',
        what: 'workload',
        required: true,
        members: {
          command: message({ argv: list(string), env: stringMap, working_dir: string }),
          simulated: message({ gpu_seconds: double, exit_code: int32, seed: uint32 }),
          inference_batch: inferenceBatchShape,
          inference_reasoning: reasoningShape,
          rl_synthetic: rlSyntheticShape,
          shard: {
            kind: 'refused',
            message:
              'is created by the control plane for inference_batch and rl_synthetic jobs; ' +
              'a spec may not name it',
          },
          lease: {
            kind: 'refused',
            message:
              "is the control plane's own workload for a lease; to run a job inside a lease, " +
              'name it with lease_id',
          },
        },
      },
    ],
  },
);
