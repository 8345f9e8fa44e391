import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { setServing, startGrpcServer, type RunningGrpcServer } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import { GANTRY_FILE_DESCRIPTOR_SET_BASE64 } from '@gantry/proto';
import { CONFIG, LOGGER } from '../infrastructure/tokens';
import { ApiServices } from './api-services';

/**
 * The control plane's gRPC server: JobService, AdminService, FileService, RentalService,
 * AgentGatewayService (ApiServices), health, reflection.
 */
@Injectable()
export class GrpcServerService implements OnApplicationBootstrap, OnModuleDestroy {
  private running?: RunningGrpcServer;

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly api: ApiServices,
  ) {}

  get port(): number | undefined {
    return this.running?.port;
  }

  get serving(): boolean {
    return this.running !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const services = this.api.all();
    this.running = await startGrpcServer({
      host: this.config.bindHost,
      port: this.config.grpcPort,
      maxMessageBytes: this.config.maxMessageBytes,
      services,
      descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
    });
    setServing(this.running, services, true);
    this.logger.info({ port: this.running.port }, 'gRPC server listening');
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.shutdown(this.config.shutdownGraceSeconds * 1000);
  }
}
