import { Inject, Injectable } from '@nestjs/common';
import { type Metadata } from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { type ControlPlaneConfig } from '@gantry/config';
import { PermissionDeniedError, UnauthenticatedError } from '@gantry/domain';
import { bearerToken } from '@gantry/grpc';
import type {
  NodeRecord,
  NodeRepository,
  RenterRepository,
  TenantIdentity,
  TenantRepository,
} from '@gantry/store';
import { CONFIG, NODES, RENTERS, TENANTS } from '../infrastructure/tokens';

/**
 * Who is calling. Tenants present API keys, agents present the bootstrap token (Register) or
 * their node token; anything else is UNAUTHENTICATED, with a message that says what to send.
 * Admins and renters are tenants too: a call for one of them from another tenant is
 * PERMISSION_DENIED (an admin is never a renter, so renters never reach AdminService).
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(TENANTS) private readonly tenants: TenantRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
    @Inject(RENTERS) private readonly renters: Pick<RenterRepository, 'isRenter'>,
  ) {}

  async tenant(metadata: Metadata): Promise<TenantIdentity> {
    const identity = await this.tenants.authenticate(bearerToken(metadata));
    if (!identity)
      throw new UnauthenticatedError('the API key is not valid (unknown, revoked or malformed)');
    return identity;
  }

  async admin(metadata: Metadata): Promise<TenantIdentity> {
    const identity = await this.tenant(metadata);
    if (!identity.admin)
      throw new PermissionDeniedError(`tenant ${identity.tenantName} is not an admin`);
    return identity;
  }

  /** A renter's key (RentalService, ADR 10); an internal tenant's is PERMISSION_DENIED. */
  async renter(metadata: Metadata): Promise<TenantIdentity> {
    const identity = await this.tenant(metadata);
    if (!(await this.renters.isRenter(identity.tenantId)))
      throw new PermissionDeniedError(`tenant ${identity.tenantName} is not a renter`);
    return identity;
  }

  bootstrap(metadata: Metadata): void {
    const presented = Buffer.from(bearerToken(metadata));
    const expected = Buffer.from(this.config.bootstrapToken);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new UnauthenticatedError(
        'the bootstrap token is not valid (see GANTRY_BOOTSTRAP_TOKEN)',
      );
    }
  }

  async node(metadata: Metadata, claimedNodeId: string): Promise<NodeRecord> {
    const node = await this.nodes.authenticate(bearerToken(metadata));
    if (!node) throw new UnauthenticatedError('the node token is not valid; register again');
    if (claimedNodeId && claimedNodeId !== node.id) {
      throw new PermissionDeniedError(
        `node_id ${claimedNodeId} does not match the token's node ${node.id}`,
      );
    }
    return node;
  }
}
