/**
 * The `gantry` command's entry point (bin/gantry.js requires this file). Wires the real world
 * (process streams, configuration from the environment, gRPC) into runCli and exits with its
 * code.
 */
import { loadCliConfig } from '@gantry/config';
import { connect } from './connection/connect';
import { grpcApi, type GantryApi } from './connection/grpc-api';
import { describeError, exitCodeFor } from './errors/exit-codes';
import { runCli } from './run-cli';

async function main(): Promise<number> {
  let config;
  try {
    config = loadCliConfig();
  } catch (error) {
    process.stderr.write(`gantry: error: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
  const opened: GantryApi[] = [];
  try {
    return await runCli(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      cwd: process.cwd(),
      config,
      connect: async (globals) => {
        const api = await connect(globals, config, grpcApi);
        opened.push(api);
        return api;
      },
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  } finally {
    for (const api of opened) api.close();
  }
}

void main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gantry: internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
