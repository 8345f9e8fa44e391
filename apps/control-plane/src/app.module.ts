import { type DynamicModule, Module } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { systemClock } from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import { AdminServiceHandlers } from './api/admin.service';
import { AgentGatewayHandlers } from './api/agent-gateway.service';
import { marketProviders } from './market/market.providers';
import { BatchDriver } from './workloads/batch-driver';
import { FileServiceHandlers } from './workloads/file.service';
import { ParentActions } from './workloads/parent-actions';
import { RlDriver } from './workloads/rl-driver';
import { VerifyWorker } from './workloads/verify-worker';
import { WorkloadController } from './workloads/workload-controller';
import { StepCacheHandlers } from './workloads/step-cache.handlers';
import { AuthService } from './api/auth.service';
import { PolicyAdminHandlers } from './api/policy-admin';
import { SubmitValidator } from './api/submit-validator';
import { GrpcServerService } from './api/grpc-server.service';
import { JobServiceHandlers } from './api/job.service';
import { WatchStreamer } from './api/watch';
import { AgentClients } from './dispatch/agent-clients.service';
import { Dispatcher } from './dispatch/dispatcher.service';
import { JobEffects } from './effects/job-effects.service';
import { ApiServices } from './api/api-services';
import { HealthController } from './http/health.controller';
import { PortalController } from './http/portal.controller';
import { defaultPortalDir } from './http/portal-files';
import { RpcController } from './http/rpc.controller';
import { ReadinessProbe } from './http/readiness.service';
import { infrastructureProviders } from './infrastructure/infrastructure.providers';
import { ControlPlaneMetrics } from './infrastructure/metrics.service';
import { CLOCK, CONFIG, LOGGER, PORTAL_DIR } from './infrastructure/tokens';
import { LeaderLoop } from './scheduler/leader-loop.service';
import { Leadership } from './scheduler/leadership.service';
import { NodeLivenessCheck } from './scheduler/node-liveness-check';
import { Reconciler } from './scheduler/reconciler';
import { SchedulingCycle } from './scheduler/scheduling-cycle';
import { RuntimeEstimates } from './scheduler/runtime-estimates.service';
import { SnapshotBuilder } from './scheduler/snapshot-builder';
import { UsageAccountant } from './scheduler/usage-accountant';

/** The control plane: API, scheduler, dispatcher and reconcilers over PostgreSQL and Redis. */
@Module({})
export class AppModule {
  static forRoot(config: ControlPlaneConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, RpcController, PortalController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: systemClock },
        { provide: PORTAL_DIR, useValue: defaultPortalDir() },
        ...infrastructureProviders,
        ...marketProviders,
        ControlPlaneMetrics,
        JobEffects,
        AuthService,
        WatchStreamer,
        JobServiceHandlers,
        AdminServiceHandlers,
        PolicyAdminHandlers,
        SubmitValidator,
        AgentGatewayHandlers,
        StepCacheHandlers,
        FileServiceHandlers,
        ApiServices,
        GrpcServerService,
        ReadinessProbe,
        AgentClients,
        Dispatcher,
        SchedulingCycle,
        SnapshotBuilder,
        RuntimeEstimates,
        UsageAccountant,
        Reconciler,
        NodeLivenessCheck,
        Leadership,
        ParentActions,
        BatchDriver,
        RlDriver,
        WorkloadController,
        VerifyWorker,
        LeaderLoop,
      ],
    };
  }
}
