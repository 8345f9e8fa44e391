// The job kinds' specs (docs/job-kinds.md, ADR 9): the parsed types, their limits, the DAG
// checks of reasoning jobs and the content hash of an engine call. The zod schemas stay
// internal: parseJobSpec is the one way in.
export {
  ENGINE_LIMITS,
  INFERENCE_ENDPOINTS,
  type InferenceEndpoint,
  type SamplingParams,
} from './fields';
export { BATCH_SPEC_LIMITS, type InferenceBatchWorkload } from './inference-batch';
export { REASONING_LIMITS, type InferenceReasoningWorkload } from './inference-reasoning';
export {
  REASONING_VERIFIERS,
  STEP_ID_PATTERN,
  STEP_KINDS,
  STEP_LIMITS,
  type CallStepFields,
  type ReasoningStep,
  type RefineStep,
  type SampleStep,
  type SelectStep,
  type StepKind,
  type VerifyStep,
  type VoteStep,
} from './reasoning-steps';
export * from './reasoning-templates';
export { checkReasoningDag, stepDependencies } from './reasoning-dag';
export {
  RL_SPEC_LIMITS,
  VERIFIER_NAMES,
  type RlSyntheticWorkload,
  type VerifierName,
} from './rl-synthetic';
export { SHARD_LIMITS, type ShardWorkload } from './shard';
export { LEASE_ID_PATTERN, type LeaseWorkload } from './lease';
export * from './step-hash';
export * from './workload-kinds';
