import { type Env } from '@gantry/config';
import { writeLine, type CliEnvironment } from '../cli-environment';
import { contextPath, writeContext } from '../connection/context-file';
import { type GantryApi } from '../connection/grpc-api';
import { runDemo } from '../demo/run-demo';
import { describeExit, tailLog } from './log-tail';
import { type RedisProbes } from './redis-plan';
import { startCluster, type ClusterDeps, type RunningCluster } from './start-cluster';
import { Supervisor, type ChildExit } from './supervisor';
import { renderBanner } from './up-banner';
import { type UpOptions } from './up-options';

export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** What `gantry up` needs beyond what every command gets; commands/up.ts passes the real one. */
export interface UpRuntime {
  readonly inherited: Env;
  readonly nodeBinary: string;
  readonly programs: ClusterDeps['programs'];
  readonly redisProbes: RedisProbes;
  readonly onSignal: (signal: ShutdownSignal, handler: () => void) => void;
  readonly offSignal: (signal: ShutdownSignal, handler: () => void) => void;
  readonly freePort: () => Promise<number>;
  readonly portFree: (port: number) => Promise<boolean>;
  readonly httpReady: (url: string) => Promise<boolean>;
  readonly openApi: (endpoint: string, apiKey: string) => GantryApi;
}

const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `gantry up`: starts the cluster, writes the context, then serves until a signal (or runs the
 * demo), and stops everything in order. The first Ctrl-C stops gracefully, a second one kills.
 * A child that dies on its own stops the rest and makes the exit code 1.
 */
export async function runUp(
  options: UpOptions,
  env: CliEnvironment,
  runtime: UpRuntime,
): Promise<number> {
  const say = (line: string) => writeLine(env.stdout, line);
  const supervisor = new Supervisor(env.config.upStopGraceSeconds * 1000);
  let interrupted: string | undefined;
  let wake = () => {};
  const stopRequested = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: ShutdownSignal) => () => {
    if (interrupted) {
      say('gantry up: forcing the stop (SIGKILL)');
      void supervisor.kill();
      return;
    }
    interrupted = `${signal} received`;
    say(
      `\ngantry up: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the cluster (Ctrl-C again to force)`,
    );
    wake();
  };
  const handlers = SIGNALS.map((s) => [s, onSignal(s)] as const);
  for (const [signal, handler] of handlers) runtime.onSignal(signal, handler);
  supervisor.onFailure(() => wake());
  const aborted = () =>
    interrupted ?? (supervisor.failure ? describeExit(supervisor.failure) : undefined);

  let cluster: RunningCluster | undefined;
  try {
    cluster = await startCluster(options, {
      ...runtime,
      supervisor,
      logLevel: env.config.childLogLevel,
      stopGraceSeconds: env.config.upStopGraceSeconds,
      log: (line) => say(`gantry up: ${line}`),
      wait: {
        timeoutMs: env.config.upStartTimeoutSeconds * 1000,
        intervalMs: 250,
        now: () => env.now(),
        sleep: (ms) => env.sleep(ms),
        aborted,
      },
    });
  } catch (error) {
    if (supervisor.failure) await reportDeath(env, supervisor.failure);
    if (interrupted) throw new Error(`interrupted (${interrupted}) before the cluster was ready`);
    throw error;
  } finally {
    if (!cluster) for (const [signal, handler] of handlers) runtime.offSignal(signal, handler);
  }

  try {
    const context = contextPath(env.config.home);
    await writeContext(context, {
      endpoint: cluster.endpoint,
      apiKey: cluster.secrets.adminApiKey,
      httpUrl: cluster.httpUrl,
      dataDir: options.dataDir,
    });
    say(renderBanner(options, cluster, context));
    let code = 0;
    if (options.demo) {
      const api = runtime.openApi(cluster.endpoint, cluster.secrets.adminApiKey);
      try {
        const ok = await runDemo(
          { agents: options.agents, gpusPerAgent: options.gpusPerAgent, gpus: options.gpus },
          { api, out: env.stdout, now: () => env.now(), sleep: (ms) => env.sleep(ms), aborted },
        );
        code = ok ? 0 : 1;
      } finally {
        api.close();
      }
    } else {
      await stopRequested;
    }
    if (supervisor.failure) {
      await reportDeath(env, supervisor.failure);
      code = 1;
    }
    say('gantry up: stopping the node agents, the control plane and Redis...');
    await cluster.stop();
    say('gantry up: stopped');
    return code;
  } finally {
    await cluster.stop();
    for (const [signal, handler] of handlers) runtime.offSignal(signal, handler);
  }
}

async function reportDeath(env: CliEnvironment, exit: ChildExit): Promise<void> {
  const lines = await tailLog(exit.logFile);
  env.stderr.write(
    `gantry up: ${exit.name} stopped unexpectedly (${describeExit(exit)}); stopping the cluster.\n` +
      (lines.length > 0
        ? `last lines of ${exit.logFile}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`
        : ''),
  );
}
