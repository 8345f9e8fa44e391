import { findGpuModel, gpuModelIds, ValidationError } from '@gantry/domain';
import { type GpuDevice } from './inventory';

export const SIMULATE_GPUS_VARIABLE = 'GANTRY_SIMULATE_GPUS';

/** The most simulated GPUs one node may have. */
export const MAX_SIMULATED_GPUS = 1024;

/**
 * The simulated GPUs of a spec like `8xH100-80GB` or `4xH100-80GB,2xA100-40GB`: indices from 0
 * in the order given, uuids `SIM-<node>-<index>`, names `Simulated <model>`, the catalog memory.
 * Throws ValidationError naming the variable on a malformed group or a model not in the catalog.
 */
export function parseSimulatedGpus(spec: string, nodeName: string): GpuDevice[] {
  const gpus: GpuDevice[] = [];
  for (const group of spec.split(',').map((g) => g.trim())) {
    const match = /^(\d+)\s*[xX]\s*(\S+)$/.exec(group);
    if (!match)
      throw ValidationError.field(
        SIMULATE_GPUS_VARIABLE,
        `"${group}" is not COUNTxMODEL (for example 8xH100-80GB)`,
      );
    const count = Number(match[1]);
    const model = findGpuModel(match[2]!);
    if (!model)
      throw ValidationError.field(
        SIMULATE_GPUS_VARIABLE,
        `unknown GPU model "${match[2]}"; the catalog has ${gpuModelIds().join(', ')}`,
      );
    if (count < 1)
      throw ValidationError.field(SIMULATE_GPUS_VARIABLE, `"${group}" must have at least 1 GPU`);
    if (gpus.length + count > MAX_SIMULATED_GPUS)
      throw ValidationError.field(
        SIMULATE_GPUS_VARIABLE,
        `at most ${MAX_SIMULATED_GPUS} simulated GPUs per node`,
      );
    for (let i = 0; i < count; i++) {
      const index = gpus.length;
      gpus.push({
        index,
        uuid: `SIM-${nodeName}-${index}`,
        name: `Simulated ${model.id}`,
        model: model.id,
        memoryBytes: model.memoryGiB * 1024 * 1024 * 1024,
      });
    }
  }
  return gpus;
}
