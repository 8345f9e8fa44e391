import { resolve, join } from 'node:path';
import { findGpuModel, gpuModelIds } from '@gantry/domain';
import { UsageError } from '../errors/cli-errors';

/** `gantry up`'s flags as commander hands them over. */
export interface UpFlags {
  readonly agents: string;
  readonly gpus: string;
  readonly demo?: boolean;
  readonly dataDir?: string;
  readonly port?: string;
}

export interface UpOptions {
  readonly agents: number;
  /** Per agent, as GANTRY_SIMULATE_GPUS takes it: `8xH100-80GB` or `4xH100-80GB,4xA100-80GB`. */
  readonly gpus: string;
  /** GPUs per agent, all models together. */
  readonly gpusPerAgent: number;
  readonly demo: boolean;
  readonly dataDir: string;
  /** The gRPC port; undefined picks a free one. */
  readonly port: number | undefined;
}

const MAX_AGENTS = 32;

/** Checks `--gpus COUNTxMODEL[,COUNTxMODEL...]` against the catalog; returns the canonical form. */
export function parseGpuInventory(text: string): { spec: string; count: number } {
  const parts = text.split(',').map((p) => p.trim());
  let count = 0;
  const canonical: string[] = [];
  for (const part of parts) {
    const match = /^(\d+)x(.+)$/i.exec(part);
    const model = match ? findGpuModel(match[2]!) : undefined;
    const n = match ? Number(match[1]) : 0;
    if (!match || n < 1 || n > 64)
      throw new UsageError(
        `--gpus: must be COUNTxMODEL like 8xH100-80GB, COUNT 1-64 (got '${text}')`,
      );
    if (!model)
      throw new UsageError(
        `--gpus: unknown GPU model '${match[2]}'; one of ${gpuModelIds().join(', ')}`,
      );
    count += n;
    canonical.push(`${n}x${model.id}`);
  }
  return { spec: canonical.join(','), count };
}

export function parseUpFlags(flags: UpFlags, home: string, cwd = process.cwd()): UpOptions {
  const agents = Number(flags.agents);
  if (!Number.isInteger(agents) || agents < 1 || agents > MAX_AGENTS)
    throw new UsageError(
      `--agents: must be a whole number from 1 to ${MAX_AGENTS} (got '${flags.agents}')`,
    );
  const { spec, count } = parseGpuInventory(flags.gpus);
  let port: number | undefined;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new UsageError(`--port: must be a port number from 1 to 65535 (got '${flags.port}')`);
  }
  return {
    agents,
    gpus: spec,
    gpusPerAgent: count,
    demo: flags.demo === true,
    dataDir: flags.dataDir ? resolve(cwd, flags.dataDir) : join(home, 'local'),
    port,
  };
}
