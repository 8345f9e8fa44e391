// Batch inference (OpenAI Batch semantics, ADR 9): input lines, shard plans, the shard runner,
// output lines, resume and merge.
export * from './attempt-lines';
export * from './batch-lines';
export * from './batch-request';
export * from './merge';
export * from './output-lines';
export * from './shard-plan';
export * from './shard-progress';
export * from './shard-runner';
export * from './status';
