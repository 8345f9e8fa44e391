import { findGpuModel } from '@gantry/domain';

/** The speed assumed for GPUs the catalog does not know, and for tasks without GPUs (an H100). */
export const DEFAULT_RELATIVE_SPEED = 1;

/**
 * How long simulated work takes: `gpuSeconds` of H100 work spread over the task's GPUs, each
 * running at its model's relative speed (a gang runs at the pace of its slowest member), sped
 * up by GANTRY_SIMULATION_SPEEDUP:
 *
 *     seconds = gpuSeconds / (max(1, gpus) × relativeSpeed) / speedup
 */
export function simulatedDurationMs(
  gpuSeconds: number,
  gpuModels: readonly (string | null)[],
  speedup: number,
): number {
  const speeds = gpuModels.map(
    (m) => (m && findGpuModel(m)?.relativeSpeed) || DEFAULT_RELATIVE_SPEED,
  );
  const speed = speeds.length > 0 ? Math.min(...speeds) : DEFAULT_RELATIVE_SPEED;
  return (gpuSeconds / (Math.max(1, gpuModels.length) * speed) / speedup) * 1000;
}

/**
 * mulberry32: a tiny seeded PRNG (32-bit state), so simulated output is the same for the same
 * seed on every machine and Node version. Not for anything that needs real randomness.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
