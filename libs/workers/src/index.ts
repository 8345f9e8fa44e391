// @gantry/workers: what a node agent needs to run work: GPU discovery (nvidia-smi, or
// simulated GPUs) and the worker backends (process, simulated) behind one interface.
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
