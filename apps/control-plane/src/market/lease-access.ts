/**
 * Who may use the lease calls (ADR 10): a renter's key (UNAUTHENTICATED without a valid key;
 * PERMISSION_DENIED for an internal tenant, which cannot buy leases), and how a lease is shown
 * (with its renter's name and the nodes its GPUs are on).
 */
import { Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { LeaseRecord } from '@gantry/domain';
import type * as pb from '@gantry/proto';
import type { TenantIdentity } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { LeaseJobs } from './lease-jobs';
import { toProtoLease } from './lease.mapper';

@Injectable()
export class LeaseAccess {
  constructor(
    private readonly auth: AuthService,
    private readonly jobs: LeaseJobs,
  ) {}

  renter(metadata: Metadata): Promise<TenantIdentity> {
    return this.auth.renter(metadata);
  }

  async view(lease: LeaseRecord, renter: TenantIdentity): Promise<pb.Lease> {
    let nodes: string[] = [];
    if (lease.jobId && lease.state !== 'pending' && lease.state !== 'ended') {
      const job = await this.jobs.get(lease.jobId);
      nodes = job.attempts.filter((a) => a.number === job.attempt).map((a) => a.nodeName);
    }
    return toProtoLease(lease, renter.tenantName, nodes);
  }
}
