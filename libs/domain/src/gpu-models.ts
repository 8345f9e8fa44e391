/**
 * The GPU catalog: the models a job may ask for, how the driver names them, and a relative
 * speed the simulated backend uses as its cost model (H100 = 1).
 */
export interface GpuModel {
  /** The id jobs and nodes use, e.g. `H100-80GB`. */
  readonly id: string;
  readonly memoryGiB: number;
  /** Work per second relative to an H100 (dense BF16 training throughput, roughly). */
  readonly relativeSpeed: number;
  /** Recognises the driver's name for it (nvidia-smi `name`). */
  readonly matches: RegExp;
}

export const GPU_MODELS: readonly GpuModel[] = [
  { id: 'B200-192GB', memoryGiB: 192, relativeSpeed: 2.2, matches: /\bB200\b/i },
  { id: 'H200-141GB', memoryGiB: 141, relativeSpeed: 1.2, matches: /\bH200\b/i },
  { id: 'H100-94GB', memoryGiB: 94, relativeSpeed: 1.05, matches: /\bH100\s?NVL\b/i },
  { id: 'H100-80GB', memoryGiB: 80, relativeSpeed: 1, matches: /\bH100\b/i },
  { id: 'A100-80GB', memoryGiB: 80, relativeSpeed: 0.35, matches: /\bA100\b.*\b80\s?GB\b/i },
  { id: 'A100-40GB', memoryGiB: 40, relativeSpeed: 0.33, matches: /\bA100\b/i },
  { id: 'L40S-48GB', memoryGiB: 48, relativeSpeed: 0.36, matches: /\bL40S\b/i },
  { id: 'L4-24GB', memoryGiB: 24, relativeSpeed: 0.12, matches: /\bL4\b/i },
  { id: 'A10G-24GB', memoryGiB: 24, relativeSpeed: 0.12, matches: /\bA10G?\b/i },
  { id: 'V100-32GB', memoryGiB: 32, relativeSpeed: 0.12, matches: /\bV100\b.*\b32\s?GB\b/i },
  { id: 'V100-16GB', memoryGiB: 16, relativeSpeed: 0.12, matches: /\bV100\b/i },
  { id: 'T4-16GB', memoryGiB: 16, relativeSpeed: 0.05, matches: /\bT4\b/i },
  { id: 'RTX4090-24GB', memoryGiB: 24, relativeSpeed: 0.3, matches: /\bRTX\s?4090\b/i },
];

const BY_ID = new Map(GPU_MODELS.map((m) => [m.id.toLowerCase(), m]));

/** The catalog entry for an id, case-insensitive (`h100-80gb` finds `H100-80GB`). */
export function findGpuModel(id: string): GpuModel | undefined {
  return BY_ID.get(id.trim().toLowerCase());
}

/** The catalog id for a driver's GPU name, or undefined when the catalog has no such model. */
export function gpuModelFromDriverName(name: string): string | undefined {
  return GPU_MODELS.find((m) => m.matches.test(name))?.id;
}

export function gpuModelIds(): string[] {
  return GPU_MODELS.map((m) => m.id);
}
