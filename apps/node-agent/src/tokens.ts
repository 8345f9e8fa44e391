/** The agent's own injection tokens (its classes are their own tokens). */
export const CONFIG = Symbol('NodeAgentConfig');
export const LOGGER = Symbol('Logger');
export const GPUS = Symbol('GpuInventory');
export const GPU_MODELS = Symbol('GpuModels');
export const STEP_CACHE = Symbol('StepCache');
