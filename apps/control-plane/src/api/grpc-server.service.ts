import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  setServing,
  startGrpcServer,
  type RunningGrpcServer,
  type ServiceBinding,
} from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import {
  AdminServiceService,
  AgentGatewayServiceService,
  FileServiceService,
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  RentalServiceService,
  JobServiceService,
} from '@gantry/proto';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { CONFIG, LOGGER } from '../infrastructure/tokens';
import { AdminServiceHandlers } from './admin.service';
import { RentalServiceHandlers } from '../market/rental.service';
import { FileServiceHandlers } from '../workloads/file.service';
import { StepCacheHandlers } from '../workloads/step-cache.handlers';
import { AgentGatewayHandlers } from './agent-gateway.service';
import { JobServiceHandlers } from './job.service';
import { callObserver } from './observer';

/** The control plane's gRPC server: JobService, AdminService, FileService, AgentGatewayService, health, reflection. */
@Injectable()
export class GrpcServerService implements OnApplicationBootstrap, OnModuleDestroy {
  private running?: RunningGrpcServer;
  private services: ServiceBinding[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: ControlPlaneMetrics,
    private readonly jobs: JobServiceHandlers,
    private readonly admin: AdminServiceHandlers,
    private readonly agents: AgentGatewayHandlers,
    private readonly steps: StepCacheHandlers,
    private readonly files: FileServiceHandlers,
    private readonly rental: RentalServiceHandlers,
  ) {}

  get port(): number | undefined {
    return this.running?.port;
  }

  get serving(): boolean {
    return this.running !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const observer = callObserver(this.metrics, this.logger);
    this.services = [
      {
        name: 'gantry.v1.JobService',
        definition: JobServiceService,
        implementation: this.jobs.implementation(observer),
      },
      {
        name: 'gantry.v1.AdminService',
        definition: AdminServiceService,
        implementation: this.admin.implementation(observer),
      },
      {
        name: 'gantry.v1.FileService',
        definition: FileServiceService,
        implementation: this.files.implementation(observer),
      },
      {
        name: 'gantry.v1.RentalService',
        definition: RentalServiceService,
        implementation: this.rental.implementation(observer),
      },
      {
        name: 'gantry.v1.AgentGatewayService',
        definition: AgentGatewayServiceService,
        implementation: {
          ...this.agents.implementation(observer),
          ...this.steps.implementation(observer),
        },
      },
    ];
    this.running = await startGrpcServer({
      host: this.config.bindHost,
      port: this.config.grpcPort,
      maxMessageBytes: this.config.maxMessageBytes,
      services: this.services,
      descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
    });
    setServing(this.running, this.services, true);
    this.logger.info({ port: this.running.port }, 'gRPC server listening');
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.shutdown(this.config.shutdownGraceSeconds * 1000);
  }
}
