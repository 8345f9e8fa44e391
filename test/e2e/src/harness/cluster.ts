/**
 * A real Gantry cluster for one test: control-plane replicas and node agents as child processes
 * (built code from dist/), a private PostgreSQL schema, and a private Redis key prefix. Fast
 * timings (heartbeats, lease, node-lost timeout) keep failure tests short.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inheritedEnvironment, loadTestConfig } from '@gantry/config';
import { newCredential } from '@gantry/domain';
import { createTestSchema, type TestSchema } from '@gantry/testing';
import { GantryClient } from './clients';
import { freePort } from '@gantry/testing';
import { ServiceProcess } from './service-process';

export interface ClusterOptions {
  /** Extra control-plane variables (e.g. a longer node-lost timeout). */
  readonly controlPlaneEnv?: Record<string, string>;
}

export interface ControlPlaneHandle {
  readonly process: ServiceProcess;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly address: string;
}

export class Cluster {
  readonly adminKey = newCredential('api-key').plaintext;
  readonly bootstrapToken = randomBytes(24).toString('hex');
  readonly prefix = `e2e-${randomBytes(6).toString('hex')}`;
  readonly workDir = mkdtempSync(path.join(tmpdir(), 'gantry-e2e-'));
  readonly controlPlanes: ControlPlaneHandle[] = [];
  readonly agents = new Map<string, ServiceProcess>();
  private readonly clients: GantryClient[] = [];
  private readonly spawned: ServiceProcess[] = [];
  private readonly test = loadTestConfig();

  private constructor(
    private readonly schema: TestSchema,
    private readonly options: ClusterOptions,
  ) {
    mkdirSync(this.logDir, { recursive: true });
  }

  static async create(options: ClusterOptions = {}): Promise<Cluster> {
    return new Cluster(await createTestSchema(loadTestConfig().databaseUrl, 'e2e'), options);
  }

  get logDir(): string {
    return path.join(this.workDir, 'logs');
  }

  /** The cluster's FileStore (GANTRY_STORAGE_DIR), shared by the control planes and agents. */
  get storageDir(): string {
    return path.join(this.workDir, 'storage');
  }

  /** Starts a control-plane replica (reusing `grpcPort` to restart one at the same address). */
  async startControlPlane(
    grpcPort?: number,
    name = `cp-${this.controlPlanes.length + 1}`,
  ): Promise<ControlPlaneHandle> {
    const port = grpcPort ?? (await freePort());
    const process = this.spawnControlPlane(name, { GANTRY_GRPC_PORT: String(port) });
    const ready = await process.waitForLog('ready', (l) => l.msg === 'control plane ready');
    const handle = {
      process,
      grpcPort: port,
      httpPort: Number(ready['httpPort']),
      address: `127.0.0.1:${port}`,
    };
    this.controlPlanes.push(handle);
    return handle;
  }

  /** Starts a control-plane process without waiting for it (start-up failure tests use it). */
  spawnControlPlane(name: string, overrides: Record<string, string> = {}): ServiceProcess {
    const env = {
      ...inheritedEnvironment(),
      GANTRY_BIND_HOST: '127.0.0.1',
      GANTRY_GRPC_PORT: '0',
      GANTRY_HTTP_PORT: '0',
      DATABASE_URL: this.test.databaseUrl,
      GANTRY_DATABASE_SCHEMA: this.schema.schema,
      REDIS_URL: this.test.redisUrl,
      GANTRY_REDIS_PREFIX: this.prefix,
      GANTRY_ADMIN_API_KEY: this.adminKey,
      GANTRY_BOOTSTRAP_TOKEN: this.bootstrapToken,
      GANTRY_REPLICA_ID: name,
      GANTRY_HEARTBEAT_INTERVAL_SECONDS: '0.5',
      GANTRY_NODE_LOST_TIMEOUT_SECONDS: '3',
      GANTRY_LEADER_LEASE_SECONDS: '2',
      GANTRY_SCHEDULER_INTERVAL_SECONDS: '0.25',
      GANTRY_RECONCILE_INTERVAL_SECONDS: '1',
      GANTRY_DISPATCH_TIMEOUT_SECONDS: '3',
      GANTRY_CANCEL_GRACE_SECONDS: '2',
      GANTRY_SHUTDOWN_GRACE_SECONDS: '2',
      GANTRY_LOG_LEVEL: 'debug',
      GANTRY_STORAGE_DIR: this.storageDir,
      GANTRY_WORKLOAD_INTERVAL_SECONDS: '0.25',
      ...this.options.controlPlaneEnv,
      ...overrides,
    };
    const process = new ServiceProcess(
      name,
      'dist/apps/control-plane/src/main.js',
      env,
      this.logDir,
    );
    this.spawned.push(process);
    return process;
  }

  /** Starts a node agent with simulated GPUs, pointed at a control plane. */
  async startAgent(
    name: string,
    gpus: string,
    controlPlane: ControlPlaneHandle = this.controlPlanes[0]!,
    extraEnv: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const env = {
      ...inheritedEnvironment(),
      GANTRY_CONTROL_PLANE_ADDRESS: controlPlane.address,
      GANTRY_BOOTSTRAP_TOKEN: this.bootstrapToken,
      GANTRY_NODE_NAME: name,
      GANTRY_AGENT_BIND_HOST: '127.0.0.1',
      GANTRY_AGENT_PORT: '0',
      GANTRY_AGENT_ADVERTISE_HOST: '127.0.0.1',
      GANTRY_SIMULATE_GPUS: gpus,
      GANTRY_NVIDIA_SMI: path.join(this.workDir, 'no-nvidia-smi'),
      GANTRY_AGENT_STATE_DIR: path.join(this.workDir, 'agents', name),
      GANTRY_KILL_GRACE_SECONDS: '2',
      GANTRY_LOG_LEVEL: 'debug',
      GANTRY_STORAGE_DIR: this.storageDir,
      ...extraEnv,
    };
    const agent = new ServiceProcess(name, 'dist/apps/node-agent/src/main.js', env, this.logDir);
    await agent.waitForLog('ready', (l) => l.msg === 'node agent ready');
    this.agents.set(name, agent);
    return agent;
  }

  client(
    controlPlane: ControlPlaneHandle = this.controlPlanes[0]!,
    apiKey = this.adminKey,
  ): GantryClient {
    const client = new GantryClient(controlPlane.address, apiKey);
    this.clients.push(client);
    return client;
  }

  /** Stops every process, drops the schema, deletes the Redis keys, removes the work dir. */
  async destroy(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.all([...this.agents.values()].map((a) => a.stop(5000)));
    await Promise.all(this.spawned.map((p) => p.stop(5000)));
    await this.schema.drop();
    const redis = new Redis(this.test.redisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
