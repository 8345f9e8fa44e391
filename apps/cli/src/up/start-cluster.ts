import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Env } from '@gantry/config';
import { FailedPreconditionError } from '@gantry/domain';
import { type GantryApi } from '../connection/grpc-api';
import { agentEnv, controlPlaneEnv, nodeName, paths, type ClusterLayout } from './child-env';
import { loadOrCreateSecrets, type ClusterSecrets } from './cluster-secrets';
import { lockDataDir } from './data-dir-lock';
import { requireBuilt, type DistPrograms } from './dist-paths';
import { waitUntil, type WaitOptions } from './ports';
import { nodesReady } from './readiness';
import { describePlan, planRedis, type RedisProbes } from './redis-plan';
import { startRedis } from './redis-runtime';
import { type Supervisor } from './supervisor';
import { type UpOptions } from './up-options';

/** The outside world `startCluster` uses; commands/up.ts passes the real one. */
export interface ClusterDeps {
  readonly supervisor: Supervisor;
  /** The user's environment, filtered before it reaches a child. */
  readonly inherited: Env;
  /** The node binary running this CLI: children run on the same Node. */
  readonly nodeBinary: string;
  readonly programs: DistPrograms;
  readonly redisProbes: RedisProbes;
  readonly logLevel: string;
  /** Each process's time between SIGTERM and SIGKILL when the cluster stops. */
  readonly stopGraceSeconds: number;
  /** Timing of every wait; `aborted` says why to give up early (a child died, Ctrl-C). */
  readonly wait: WaitOptions;
  /** Progress for people (`starting the control plane...`). */
  readonly log: (line: string) => void;
  readonly freePort: () => Promise<number>;
  readonly portFree: (port: number) => Promise<boolean>;
  readonly httpReady: (url: string) => Promise<boolean>;
  readonly openApi: (endpoint: string, apiKey: string) => Pick<GantryApi, 'listNodes' | 'close'>;
}

export interface RunningCluster {
  readonly endpoint: string;
  readonly httpUrl: string;
  readonly secrets: ClusterSecrets;
  readonly redis: string;
  readonly nodeNames: readonly string[];
  readonly logsDir: string;
  /** Stops every process in order and cleans up; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Brings up a local cluster, step by step: 1. lock the data dir and load (or make) its secrets;
 * 2. Redis; 3. the control plane, until /readyz; 4. the agents, until every node is READY.
 * On any failure, what was started is stopped before the error is thrown.
 */
export async function startCluster(options: UpOptions, deps: ClusterDeps): Promise<RunningCluster> {
  const { supervisor, log } = deps;
  const logsDir = paths.logs(options.dataDir);
  const cleanups: (() => Promise<void>)[] = [await lockDataDir(options.dataDir)];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await supervisor.stopAll();
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    })());
  const wait = (what: string, check: () => Promise<boolean>) => waitUntil(what, check, deps.wait);
  try {
    requireBuilt(deps.programs);
    const { secrets, created, path } = await loadOrCreateSecrets(options.dataDir);
    log(
      created
        ? `generated an admin key and agent token (${path})`
        : `reusing the admin key in ${path}`,
    );

    const plan = await planRedis(deps.redisProbes);
    log(`starting Redis: ${describePlan(plan)}`);
    const redis = await startRedis(plan, {
      supervisor,
      dataDir: options.dataDir,
      logsDir,
      freePort: deps.freePort,
      waitUntil: wait,
    });
    cleanups.push(() => redis.stop());

    if (options.port !== undefined && !(await deps.portFree(options.port)))
      throw new FailedPreconditionError(
        `--port ${options.port} is in use; pick another or leave it out`,
      );
    const layout: ClusterLayout = {
      dataDir: options.dataDir,
      grpcPort: options.port ?? (await deps.freePort()),
      httpPort: await deps.freePort(),
      redisUrl: redis.url,
      secrets,
      gpus: options.gpus,
      logLevel: deps.logLevel,
      stopGraceSeconds: deps.stopGraceSeconds,
    };
    const endpoint = `127.0.0.1:${layout.grpcPort}`;
    const httpUrl = `http://127.0.0.1:${layout.httpPort}`;
    await mkdir(paths.controlPlaneData(options.dataDir), { recursive: true, mode: 0o700 });
    await mkdir(paths.storage(options.dataDir), { recursive: true, mode: 0o700 });
    log(
      `starting the control plane on ${endpoint} (PGlite in ${paths.controlPlaneData(options.dataDir)}, ` +
        `files in ${paths.storage(options.dataDir)})`,
    );
    await supervisor.start({
      name: 'control-plane',
      command: deps.nodeBinary,
      args: [deps.programs.controlPlane],
      env: controlPlaneEnv(deps.inherited, layout),
      logFile: join(logsDir, 'control-plane.log'),
      tier: 1,
    });
    await wait('the control plane (/readyz)', () => deps.httpReady(`${httpUrl}/readyz`));

    const nodeNames = Array.from({ length: options.agents }, (_, i) => nodeName(i));
    log(
      `starting ${options.agents} node agent(s) with simulated GPUs (${options.gpus} each) ` +
        'and the simulated inference engine',
    );
    const agentsStarted = deps.wait.now();
    for (const [index, name] of nodeNames.entries()) {
      await mkdir(paths.agentState(options.dataDir, name), { recursive: true, mode: 0o700 });
      await supervisor.start({
        name,
        command: deps.nodeBinary,
        args: [deps.programs.nodeAgent],
        env: agentEnv(deps.inherited, layout, index),
        logFile: join(logsDir, `${name}.log`),
        tier: 2,
      });
    }
    const api = deps.openApi(endpoint, secrets.adminApiKey);
    try {
      await wait(`${options.agents} node(s) to register`, async () =>
        nodesReady(await api.listNodes().catch(() => []), nodeNames, agentsStarted - 1_000),
      );
    } finally {
      api.close();
    }
    return { endpoint, httpUrl, secrets, redis: describePlan(plan), nodeNames, logsDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
