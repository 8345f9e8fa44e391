// Reasoning DAGs (ADR 9): the executor, the in-process step cache, and the result.
export * from './choose';
export * from './executor';
export * from './plan';
export * from './result';
export * from './step-cache';
export type { StopReason } from './run-context';
export type { StepItem } from './item-stream';
