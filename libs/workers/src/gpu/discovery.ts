import { execFile } from 'node:child_process';
import { UnavailableError } from '@gantry/domain';
import type { WorkerLog } from '../ports';
import type { GpuInventory } from './inventory';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiGpus } from './nvidia-smi-parser';
import { parseSimulatedGpus, SIMULATE_GPUS_VARIABLE } from './simulated-gpus';

/** Runs a program and returns its stdout; rejects with the error of child_process.execFile. */
export type RunProgram = (program: string, args: readonly string[]) => Promise<string>;

/** An error of a program that ran and failed, with what it wrote to stderr. */
export type ProgramError = Error & { code?: unknown; stderr?: string };

export const runProgram: RunProgram = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, [...args], { timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const failure: ProgramError = error;
      failure.stderr = stderr;
      reject(failure);
    });
  });

export interface DiscoveryOptions {
  /** The nvidia-smi program (GANTRY_NVIDIA_SMI). */
  readonly nvidiaSmi: string;
  /** GANTRY_SIMULATE_GPUS, used only when nvidia-smi is absent. */
  readonly simulateGpus: string | undefined;
  readonly nodeName: string;
  readonly log: WorkerLog;
  readonly run?: RunProgram;
}

function isMissingProgram(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT';
}

/**
 * Finds this node's GPUs: from nvidia-smi when the program exists; else the simulated GPUs of
 * GANTRY_SIMULATE_GPUS (inventory.simulated = true, logged as simulated); else none, with a
 * warning. An nvidia-smi that exists but fails (driver not loaded) is an error: a GPU node
 * that silently offered no GPUs would look healthy and never get work.
 */
export async function discoverGpus(options: DiscoveryOptions): Promise<GpuInventory> {
  const run = options.run ?? runProgram;
  let output: string | undefined;
  try {
    output = await run(options.nvidiaSmi, NVIDIA_SMI_ARGS);
  } catch (error) {
    if (!isMissingProgram(error)) {
      const stderr = (error as ProgramError).stderr?.trim();
      throw new UnavailableError(
        `${options.nvidiaSmi} failed: ${stderr || (error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (output !== undefined) {
    const gpus = parseNvidiaSmiGpus(output);
    if (options.simulateGpus)
      options.log.warn(
        { variable: SIMULATE_GPUS_VARIABLE },
        `nvidia-smi found; ${SIMULATE_GPUS_VARIABLE} is ignored`,
      );
    for (const gpu of gpus.filter((g) => g.model === null))
      options.log.warn({ gpu: gpu.index, name: gpu.name }, 'GPU model not in the catalog');
    options.log.info({ gpus: gpus.length, source: 'nvidia-smi' }, 'GPUs discovered');
    return { gpus, simulated: false, source: 'nvidia-smi' };
  }
  if (options.simulateGpus) {
    const gpus = parseSimulatedGpus(options.simulateGpus, options.nodeName);
    options.log.info(
      { gpus: gpus.length, spec: options.simulateGpus, simulated: true },
      `GPUs are SIMULATED (${SIMULATE_GPUS_VARIABLE}=${options.simulateGpus}): no real GPU is used`,
    );
    return { gpus, simulated: true, source: 'simulated' };
  }
  options.log.warn(
    { nvidiaSmi: options.nvidiaSmi },
    `no GPUs: ${options.nvidiaSmi} not found and ${SIMULATE_GPUS_VARIABLE} not set`,
  );
  return { gpus: [], simulated: false, source: 'none' };
}
