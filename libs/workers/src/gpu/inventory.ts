/** One GPU of this node. */
export interface GpuDevice {
  /** The index CUDA_VISIBLE_DEVICES uses. */
  readonly index: number;
  readonly uuid: string;
  /** The driver's name (`NVIDIA H100 80GB HBM3`), or `Simulated H100-80GB`. */
  readonly name: string;
  /** The catalog id (`H100-80GB`), or null when the catalog does not know the name. */
  readonly model: string | null;
  readonly memoryBytes: number;
}

/** The GPUs a node offers, and whether they are real. */
export interface GpuInventory {
  readonly gpus: readonly GpuDevice[];
  /** True when the GPUs come from GANTRY_SIMULATE_GPUS, not from the driver. */
  readonly simulated: boolean;
  /** How they were found: `nvidia-smi`, `simulated`, or `none`. */
  readonly source: 'nvidia-smi' | 'simulated' | 'none';
}

export const MIB = 1024 * 1024;
