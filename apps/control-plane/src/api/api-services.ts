import { Inject, Injectable } from '@nestjs/common';
import type { ServiceBinding } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import {
  AdminServiceService,
  AgentGatewayServiceService,
  FileServiceService,
  JobServiceService,
  RentalServiceService,
} from '@gantry/proto';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { LOGGER } from '../infrastructure/tokens';
import { RentalServiceHandlers } from '../market/rental.service';
import { FileServiceHandlers } from '../workloads/file.service';
import { StepCacheHandlers } from '../workloads/step-cache.handlers';
import { AdminServiceHandlers } from './admin.service';
import { AgentGatewayHandlers } from './agent-gateway.service';
import { JobServiceHandlers } from './job.service';
import { callObserver } from './observer';

/** The agents' protocol: served over gRPC only, never through the HTTP JSON bridge. */
const AGENT_GATEWAY = 'gantry.v1.AgentGatewayService';

/**
 * The control plane's services with their handlers, built once and shared by the gRPC server
 * and the HTTP JSON bridge (/rpc), so both reach the very same handlers, metrics and logs.
 */
@Injectable()
export class ApiServices {
  private built?: readonly ServiceBinding[];

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: ControlPlaneMetrics,
    private readonly jobs: JobServiceHandlers,
    private readonly admin: AdminServiceHandlers,
    private readonly agents: AgentGatewayHandlers,
    private readonly steps: StepCacheHandlers,
    private readonly files: FileServiceHandlers,
    private readonly rental: RentalServiceHandlers,
  ) {}

  /** Every service the gRPC server serves. */
  all(): readonly ServiceBinding[] {
    return (this.built ??= this.build());
  }

  /** The public API (JobService, AdminService, FileService, RentalService): what /rpc serves. */
  public(): readonly ServiceBinding[] {
    return this.all().filter((service) => service.name !== AGENT_GATEWAY);
  }

  private build(): ServiceBinding[] {
    const observer = callObserver(this.metrics, this.logger);
    return [
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
        name: AGENT_GATEWAY,
        definition: AgentGatewayServiceService,
        implementation: {
          ...this.agents.implementation(observer),
          ...this.steps.implementation(observer),
        },
      },
    ];
  }
}
