/**
 * The control plane process. Loads and checks configuration (exit 78, EX_CONFIG, with every
 * problem listed), starts the Nest application (HTTP for probes, metrics, the web portal and its
 * JSON bridge; gRPC for the API), and shuts down cleanly on SIGTERM/SIGINT.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadControlPlaneConfig, type ControlPlaneConfig } from '@gantry/config';
import { NestLoggerAdapter } from '@gantry/observability';
import { AppModule } from './app.module';
import { GrpcServerService } from './api/grpc-server.service';
import { makeLogger } from './infrastructure/logger.provider';

const EX_CONFIG = 78;

async function main(): Promise<void> {
  let config: ControlPlaneConfig;
  try {
    config = loadControlPlaneConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`gantry control plane: ${error.message}\n`);
    process.exit(EX_CONFIG);
  }
  const logger = makeLogger(config);
  try {
    const app = await NestFactory.create(AppModule.forRoot(config, logger), {
      logger: new NestLoggerAdapter(logger.child({ component: 'nest' })),
      abortOnError: false,
      // The JSON bridge (/rpc) reads request bodies itself; nothing else takes one.
      bodyParser: false,
    });
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    await app.listen(config.httpPort, config.bindHost);
    const httpPort = (app.getHttpServer() as { address(): { port: number } }).address().port;
    const grpcPort = app.get(GrpcServerService).port;
    logger.info({ grpcPort, httpPort, replica: config.replicaId }, 'control plane ready');
  } catch (error) {
    logger.fatal({ err: error }, 'control plane failed to start');
    logger.flush();
    process.exit(
      error instanceof Error && 'code' in error && error.code === 'FAILED_PRECONDITION'
        ? EX_CONFIG
        : 1,
    );
  }
}

void main();
