// @gantry/workloads: the job kinds' own logic (batch request lines, the shard runner, the
// reasoning DAG executor, RL rollout planning and filtering, verifiers). Pure TypeScript over
// injected ports (InferenceClient, StepCache, Sandbox, line sources and sinks): no I/O of its
// own, so the agent, the control plane and the tests run the same code. See ADR 9.
export * from './ports';
export * from './cache/claiming-step-cache';
export * from './cache/collapsing-step-cache';
export * from './verifiers';
export * from './common';
export * from './batch';
export * from './reasoning';
export * from './rl';
