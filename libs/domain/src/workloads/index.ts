// The job kinds' specs (docs/job-kinds.md, ADR 9): zod schemas, the parsed types, the DAG
// checks of reasoning jobs and the content hash of an engine call.
export * from './fields';
export * from './inference-batch';
export * from './inference-reasoning';
export * from './reasoning-steps';
export * from './reasoning-templates';
export * from './reasoning-dag';
export * from './rl-synthetic';
export * from './shard';
export * from './step-hash';
export * from './workload-kinds';
