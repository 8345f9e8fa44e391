import { type Command } from 'commander';
import { inheritedEnvironment } from '@gantry/config';
import { type CliEnvironment } from '../cli-environment';
import { grpcApi } from '../connection/grpc-api';
import { action, examples, type Report } from '../program-kit';
import { distPrograms } from '../up/dist-paths';
import { freePort, portFree } from '../up/ports';
import { httpReady } from '../up/readiness';
import { dockerAnswers, programRuns } from '../up/redis-runtime';
import { runUp, type UpRuntime } from '../up/run-up';
import { parseUpFlags, type UpFlags } from '../up/up-options';

function realRuntime(env: CliEnvironment): UpRuntime {
  return {
    inherited: inheritedEnvironment(),
    nodeBinary: process.execPath,
    programs: distPrograms(),
    redisProbes: {
      configuredUrl: env.config.redisUrl,
      redisServer: env.config.redisServer,
      hasProgram: programRuns,
      dockerAnswers,
    },
    onSignal: (signal, handler) => process.on(signal, handler),
    offSignal: (signal, handler) => process.off(signal, handler),
    freePort: () => freePort(),
    portFree: (port) => portFree(port),
    httpReady: (url) => httpReady(url),
    openApi: grpcApi,
  };
}

export function registerUp(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('up')
    .description(
      'run a whole local cluster in the foreground: control plane (PGlite), Redis, N agents with simulated GPUs',
    )
    .option('--agents <n>', 'node agents to start, 1-32', '2')
    .option(
      '--gpus <COUNTxMODEL>',
      'simulated GPUs per agent (comma-separate models)',
      '8xH100-80GB',
    )
    .option(
      '--demo',
      'run a mixed workload, then one job of each inference kind; print what they did and produced, then stop (exit 0 if as expected)',
    )
    .option('--data-dir <dir>', 'database, secrets, files and logs (default: $GANTRY_HOME/local)')
    .option('--port <port>', 'gRPC port of the control plane (default: a free one)')
    .addHelpText(
      'after',
      examples(
        'gantry up --demo',
        'gantry up',
        'gantry up --agents 4 --gpus 4xA100-80GB --port 50051',
        'REDIS_URL=redis://127.0.0.1:6379 gantry up --data-dir /tmp/gantry',
      ) +
        '\nFiles (uploads, batch outputs, RL datasets) are kept in <data-dir>/storage, shared by the\n' +
        'control plane and every agent; the agents run inference jobs on the simulated engine.\n' +
        'Redis: REDIS_URL when set; else `redis-server` from PATH on a free port with a private\n' +
        'directory; else a Redis container when a Docker engine answers; else an error saying what\n' +
        'to install. Processes log to files under <data-dir>/logs. The admin key and agent token\n' +
        'are kept in <data-dir>/secrets.json, so a restart keeps its jobs and keys; the endpoint and\n' +
        'key are written to $GANTRY_HOME/context.json for the other commands.\n' +
        'Ctrl-C (or SIGTERM) stops the agents, then the control plane, then Redis; a second\n' +
        'Ctrl-C kills them at once. If one of them dies, the rest are stopped and the exit code is 1.\n',
    )
    .action(
      action<UpFlags>(report, async ({ options }) =>
        runUp(parseUpFlags(options, env.config.home), env, realRuntime(env)),
      ),
    );
}
