/**
 * Which workloads are which (ADR 9): the kinds users submit, the internal one the control plane
 * creates, the parents that hold no GPUs, and the ones the agent runs on an inference engine.
 * They take any `{ kind }` so they work on the Workload union without importing it.
 */
import type { LeaseWorkload } from './lease';
import type { ShardWorkload } from './shard';

/** The workloads a user may submit, in the order error messages list them. */
export const USER_WORKLOAD_KINDS = [
  'command',
  'simulated',
  'inference_batch',
  'inference_reasoning',
  'rl_synthetic',
] as const;

/** Every workload kind a stored spec may have: the user kinds, `shard` and `lease`. */
export const WORKLOAD_KINDS = [...USER_WORKLOAD_KINDS, 'shard', 'lease'] as const;

/**
 * A workload only the control plane creates (`shard`, `lease`); the submit validator rejects it
 * from users with INVALID_ARGUMENT.
 */
export function isInternalWorkload(workload: {
  readonly kind: string;
}): workload is ShardWorkload | LeaseWorkload {
  return workload.kind === 'shard' || workload.kind === 'lease';
}

/**
 * A parent job's workload (`inference_batch`, `rl_synthetic`): it holds no GPUs, never enters
 * the pending index, and is driven by the workload controller through its `shard` children.
 */
export function isParentWorkload(workload: { readonly kind: string }): boolean {
  return workload.kind === 'inference_batch' || workload.kind === 'rl_synthetic';
}

/**
 * A workload that calls an inference engine, directly (`shard`, `inference_reasoning`, run by
 * the agent's `openai` backend) or through its shards (the parents). Such a job needs at least
 * one GPU, on one node, for its engine.
 */
export function isEngineWorkload(workload: { readonly kind: string }): boolean {
  return (
    workload.kind === 'shard' ||
    workload.kind === 'inference_reasoning' ||
    isParentWorkload(workload)
  );
}
