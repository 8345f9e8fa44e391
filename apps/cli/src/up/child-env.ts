import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type Env } from '@gantry/config';
import { type ClusterSecrets } from './cluster-secrets';

/** Everything `gantry up` decided before starting the processes. */
export interface ClusterLayout {
  readonly dataDir: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly redisUrl: string;
  readonly secrets: ClusterSecrets;
  /** Per agent, as GANTRY_SIMULATE_GPUS takes it. */
  readonly gpus: string;
  readonly logLevel: string;
  /** How long `gantry up` waits for each process to stop before SIGKILL. */
  readonly stopGraceSeconds: number;
}

/** A share of the stop grace, so a child finishes its own shutdown before `gantry up` kills it. */
function share(layout: ClusterLayout, fraction: number): string {
  return String(Math.round(layout.stopGraceSeconds * fraction * 10) / 10);
}

/** Variables a user's shell may hold that would point a local cluster somewhere else. */
const DROPPED = /^(GANTRY_.*|DATABASE_URL|REDIS_URL|NODE_OPTIONS)$/;

/**
 * The inherited environment minus Gantry's own variables: the children get PATH, HOME, locale
 * and the like from the user, and every Gantry setting explicitly from `gantry up`.
 */
export function baseEnvironment(inherited: Env): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited))
    if (value !== undefined && !DROPPED.test(key)) base[key] = value;
  return base;
}

export const paths = {
  logs: (dataDir: string) => join(dataDir, 'logs'),
  controlPlaneData: (dataDir: string) => join(dataDir, 'control-plane'),
  agentState: (dataDir: string, name: string) => join(dataDir, 'agents', name),
  /**
   * The cluster's file store (GANTRY_STORAGE_DIR): uploads, batch and RL outputs, shard files.
   * One folder for the control plane and every agent, as a ReadWriteMany volume is on Kubernetes.
   */
  storage: (dataDir: string) => join(dataDir, 'storage'),
};

export function nodeName(index: number): string {
  return `node-${index + 1}`;
}

/** A Redis key prefix per data dir, so a shared REDIS_URL never mixes two local clusters. */
export function redisPrefix(dataDir: string): string {
  return `gantry-local-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`;
}

/** The control plane on PGlite (no DATABASE_URL) in the data dir, listening on loopback only. */
export function controlPlaneEnv(base: Env, layout: ClusterLayout): Record<string, string> {
  return {
    ...baseEnvironment(base),
    GANTRY_BIND_HOST: '127.0.0.1',
    GANTRY_GRPC_PORT: String(layout.grpcPort),
    GANTRY_HTTP_PORT: String(layout.httpPort),
    GANTRY_DATA_DIR: paths.controlPlaneData(layout.dataDir),
    REDIS_URL: layout.redisUrl,
    GANTRY_REDIS_PREFIX: redisPrefix(layout.dataDir),
    GANTRY_ADMIN_API_KEY: layout.secrets.adminApiKey,
    GANTRY_BOOTSTRAP_TOKEN: layout.secrets.bootstrapToken,
    GANTRY_REPLICA_ID: 'local',
    GANTRY_STORAGE_DIR: paths.storage(layout.dataDir),
    GANTRY_SHUTDOWN_GRACE_SECONDS: share(layout, 0.8),
    GANTRY_LOG_LEVEL: layout.logLevel,
  };
}

/**
 * Agent `index` (0-based) with simulated GPUs, its own state dir, on a port it picks, sharing
 * the control plane's file store, with the simulated engine (found beside the agent's build in
 * dist/) for the inference job kinds.
 */
export function agentEnv(base: Env, layout: ClusterLayout, index: number): Record<string, string> {
  const name = nodeName(index);
  return {
    ...baseEnvironment(base),
    GANTRY_CONTROL_PLANE_ADDRESS: `127.0.0.1:${layout.grpcPort}`,
    GANTRY_BOOTSTRAP_TOKEN: layout.secrets.bootstrapToken,
    GANTRY_NODE_NAME: name,
    GANTRY_AGENT_BIND_HOST: '127.0.0.1',
    GANTRY_AGENT_PORT: '0',
    GANTRY_AGENT_ADVERTISE_HOST: '127.0.0.1',
    GANTRY_AGENT_STATE_DIR: paths.agentState(layout.dataDir, name),
    GANTRY_SIMULATE_GPUS: layout.gpus,
    GANTRY_STORAGE_DIR: paths.storage(layout.dataDir),
    // What `auto` picks on simulated GPUs, said outright: these agents never see a real GPU.
    GANTRY_ENGINE_PRESET: 'simulated',
    // Stop tasks (SIGTERM, then SIGKILL), then engines, and report them within the stop grace.
    GANTRY_KILL_GRACE_SECONDS: share(layout, 0.5),
    GANTRY_ENGINE_STOP_GRACE_SECONDS: share(layout, 0.3),
    GANTRY_AGENT_SHUTDOWN_FLUSH_SECONDS: share(layout, 0.3),
    // The agent prefers real GPUs from nvidia-smi; N agents on one machine would each claim the
    // same ones, so point it at a program that does not exist and it simulates.
    GANTRY_NVIDIA_SMI: join(layout.dataDir, 'agents', 'simulated-gpus-only', 'nvidia-smi'),
    GANTRY_LOG_LEVEL: layout.logLevel,
  };
}
