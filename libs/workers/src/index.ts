// @gantry/workers: what a node agent needs to run work: GPU discovery (nvidia-smi, or
// simulated GPUs), the worker backends (process, simulated) behind one interface, and the
// inference engines (vLLM, SGLang, simulated) that the `openai` backend runs on (ADR 9).
export * from './backend';
export * from './ports';
export * from './events/progress-protocol';
export * from './events/checkpoint-protocol';
export * from './gpu/inventory';
export * from './gpu/nvidia-smi-parser';
export * from './gpu/simulated-gpus';
export * from './gpu/discovery';
export * from './process/process-backend';
export type { ReapedGroup } from './process/orphan-reaper';
export * from './simulated/simulated-backend';
export { simulatedDurationMs } from './simulated/model';
export * from './sandbox/process-sandbox';
export type { ProcessSandboxResult } from './sandbox/sandbox-process';
export { NETWORK_ISOLATIONS, type NetworkIsolation } from './sandbox/network-isolation';
export * from './openai/engine-errors';
export * from './openai/openai-http-client';
export * from './openai/engine-command';
export * from './openai/engine-presets';
export * from './openai/engine-manager';
export type { EngineLease } from './openai/engine-lease';
export type { EngineRequest } from './openai/engine-request';
export type { EngineIdentity, EngineState, WarmEngine } from './openai/managed-engine';
export { findFreePort, type FindPort } from './openai/free-port';
export * from './openai/backend/openai-backend';
export { TaskStoppedError } from './openai/backend/engine-task';
export type { EngineSource } from './openai/backend/engine-acquire';
export type { ShardStore } from './openai/backend/shard-files';
export { lazySandbox } from './sandbox/lazy-sandbox';
export * from './lease/lease-holder';
