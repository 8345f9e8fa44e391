/**
 * AdminService: tenants, API keys and nodes; every call needs an admin key.
 * - CreateTenant / CreateApiKey: write a tenant or key (hash only) in PostgreSQL; the key is
 *   returned once.
 * - ListTenants: reads PostgreSQL. ListNodes: reads nodes and allocations from PostgreSQL and
 *   last heartbeats from Redis.
 */
import { LeaseAdminHandlers } from '../market/lease-admin.handlers';
import { PricesHandlers } from '../market/prices.handlers';
import { RentersHandlers } from '../market/renters.handlers';
import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@gantry/domain';
import { type CallObserver, unary } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { NodeLiveness } from '@gantry/queue';
import type { JobRepository, NodeRepository, TenantRecord, TenantRepository } from '@gantry/store';
import { CLOCK, JOBS, LIVENESS, NODES, TENANTS } from '../infrastructure/tokens';
import { AuthService } from './auth.service';
import { PolicyAdminHandlers } from './policy-admin';
import { toProtoNode } from './mappers/node.mapper';

function toProtoTenant(tenant: TenantRecord): pb.Tenant {
  return {
    id: tenant.id,
    name: tenant.name,
    admin: tenant.admin,
    createTime: new Date(tenant.createdAt),
  };
}

@Injectable()
export class AdminServiceHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(TENANTS) private readonly tenants: TenantRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(LIVENESS) private readonly liveness: NodeLiveness,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policyAdmin: PolicyAdminHandlers,
    private readonly renters: RentersHandlers,
    private readonly prices: PricesHandlers,
    private readonly leaseAdmin: LeaseAdminHandlers,
  ) {}

  implementation(observer: CallObserver): pb.AdminServiceServer {
    return {
      ...this.policyAdmin.implementation(observer, () => this.clock.now()),
      ...this.renters.implementation(observer),
      ...this.prices.implementation(observer),
      ...this.leaseAdmin.implementation(observer),
      createTenant: unary(
        'CreateTenant',
        async (req: pb.CreateTenantRequest, call) => {
          await this.auth.admin(call.metadata);
          const { tenant, apiKey } = await this.tenants.createTenant(req.name, this.clock.now());
          return { tenant: toProtoTenant(tenant), apiKey: apiKey.plaintext };
        },
        observer,
      ),
      listTenants: unary(
        'ListTenants',
        async (_req: pb.ListTenantsRequest, call) => {
          await this.auth.admin(call.metadata);
          return { tenants: (await this.tenants.listTenants()).map(toProtoTenant) };
        },
        observer,
      ),
      createApiKey: unary(
        'CreateApiKey',
        async (req: pb.CreateApiKeyRequest, call) => {
          await this.auth.admin(call.metadata);
          return {
            apiKey: (await this.tenants.createApiKey(req.tenant, this.clock.now())).plaintext,
          };
        },
        observer,
      ),
      listNodes: unary(
        'ListNodes',
        async (_req: pb.ListNodesRequest, call) => {
          await this.auth.admin(call.metadata);
          const [nodes, allocations] = await Promise.all([
            this.nodes.list(),
            this.jobs.activeAllocations(),
          ]);
          const beats = await this.liveness.lastBeats(nodes.map((n) => n.id));
          return { nodes: nodes.map((n) => toProtoNode(n, allocations, beats.get(n.id))) };
        },
        observer,
      ),
    };
  }
}
