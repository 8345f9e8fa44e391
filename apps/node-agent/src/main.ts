/**
 * The node agent process. Loads and checks configuration (exit 78, EX_CONFIG, listing every
 * problem; a bad GANTRY_SIMULATE_GPUS too), builds the agent in a Nest application context,
 * serves and registers, prints `node agent ready` (JSON, with `port` and `nodeName`), and on
 * SIGTERM or SIGINT shuts down cleanly (see NodeAgent) and exits 0. A second signal while
 * shutting down changes nothing.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadNodeAgentConfig, type NodeAgentConfig } from '@gantry/config';
import { ValidationError } from '@gantry/domain';
import { NodeAgent } from './agent';
import { NodeAgentModule } from './agent.module';

const EX_CONFIG = 78;

function fail(message: string, code: number): never {
  process.stderr.write(`gantry node agent: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: NodeAgentConfig;
  try {
    config = loadNodeAgentConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EX_CONFIG);
    throw error;
  }
  let agent: NodeAgent;
  try {
    const app = await NestFactory.createApplicationContext(NodeAgentModule.register(config), {
      logger: false,
      abortOnError: false,
    });
    agent = app.get(NodeAgent);
    await agent.start();
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signals++ > 0) return;
      void agent
        .shutdown(signal)
        .then(() => app.close())
        .then(
          () => process.exit(0),
          (error: unknown) => fail(`shutdown failed: ${String(error)}`, 1),
        );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  } catch (error) {
    if (error instanceof ValidationError)
      fail(`invalid configuration: ${error.message}`, EX_CONFIG);
    fail(
      `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      1,
    );
  }
}

void main();
