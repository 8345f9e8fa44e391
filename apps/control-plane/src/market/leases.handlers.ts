/**
 * RentalService's lease calls (ADR 10). Every call needs a renter's key (an internal tenant is
 * PERMISSION_DENIED); a renter sees only its own leases (another's are NOT_FOUND).
 * - CreateLease: see lease-purchase.ts.
 * - ExtendLease: moves a lease's end later (domain `extendLease`); writes the lease.
 * - ReleaseLease: ends a lease now (released): its jobs get SIGTERM; the last charge is posted.
 * - GetLease / ListLeases: read PostgreSQL.
 * - WatchLease: streams the lease's events from `from_sequence`, polling, until it has ended.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ServerWritableStream } from '@grpc/grpc-js';
import {
  endLease,
  extendLease,
  ValidationError,
  type Clock,
  type LeaseRecord,
} from '@gantry/domain';
import { serverStreaming, unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { LeaseRepository, TenantIdentity } from '@gantry/store';
import { CLOCK, LEASES } from '../infrastructure/tokens';
import { LeaseAccess } from './lease-access';
import { LeaseBilling } from './lease-billing';
import { LeaseJobs } from './lease-jobs';
import { fromProtoLeaseStates, toProtoLeaseEvent } from './lease.mapper';
import { LeasePurchase } from './lease-purchase';

const POLL_MS = 500;
const MAX_EXTEND_SECONDS = 30 * 24 * 3600;

function requiredId(leaseId: string): string {
  if (!leaseId) throw ValidationError.field('lease_id', 'is required');
  return leaseId;
}

@Injectable()
export class LeasesHandlers {
  constructor(
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: LeaseAccess,
    private readonly purchase: LeasePurchase,
    private readonly jobs: LeaseJobs,
    private readonly billing: LeaseBilling,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<
    pb.RentalServiceServer,
    'createLease' | 'extendLease' | 'releaseLease' | 'getLease' | 'listLeases' | 'watchLease'
  > {
    return {
      createLease: unary(
        'CreateLease',
        async (req: pb.CreateLeaseRequest, call) => {
          const renter = await this.access.renter(call.metadata);
          const { lease, created } = await this.purchase.buy(renter, req);
          return { lease: await this.access.view(lease, renter), created };
        },
        observer,
      ),
      extendLease: unary(
        'ExtendLease',
        async (req: pb.ExtendLeaseRequest, call) => {
          const renter = await this.access.renter(call.metadata);
          const by = req.by ? req.by.seconds + req.by.nanos / 1e9 : 0;
          if (!(by >= 60 && by <= MAX_EXTEND_SECONDS) || !Number.isInteger(by))
            throw ValidationError.field(
              'by',
              `must be whole seconds from 60 to ${MAX_EXTEND_SECONDS}`,
            );
          await this.leases.get(renter, requiredId(req.leaseId));
          const now = this.clock.now();
          const lease = await this.leases.update(req.leaseId, (l) => extendLease(l, by), now);
          return { lease: await this.access.view(lease, renter) };
        },
        observer,
      ),
      releaseLease: unary(
        'ReleaseLease',
        async (req: pb.ReleaseLeaseRequest, call) => {
          const renter = await this.access.renter(call.metadata);
          await this.leases.get(renter, requiredId(req.leaseId));
          const lease = await this.release(req.leaseId);
          return { lease: await this.access.view(lease, renter) };
        },
        observer,
      ),
      getLease: unary(
        'GetLease',
        async (req: pb.GetLeaseRequest, call) => {
          const renter = await this.access.renter(call.metadata);
          const lease = await this.leases.get(renter, requiredId(req.leaseId));
          return { lease: await this.access.view(lease, renter) };
        },
        observer,
      ),
      listLeases: unary(
        'ListLeases',
        async (req: pb.ListLeasesRequest, call) => {
          const renter = await this.access.renter(call.metadata);
          if (req.pageSize < 0 || req.pageSize > 1000)
            throw ValidationError.field('page_size', 'must be 0-1000 (0 means 100)');
          const page = await this.leases.list(
            renter,
            fromProtoLeaseStates(req.states),
            req.pageSize || 100,
            req.pageToken,
          );
          const leases = await Promise.all(page.leases.map((l) => this.access.view(l, renter)));
          return { leases, nextPageToken: page.nextPageToken };
        },
        observer,
      ),
      watchLease: serverStreaming(
        'WatchLease',
        async (req: pb.WatchLeaseRequest, call) => this.watch(req, call),
        observer,
      ),
    };
  }

  /** Ends a lease now at its renter's wish: its jobs are stopped and its last charge posted. */
  private async release(leaseId: string): Promise<LeaseRecord> {
    const now = this.clock.now();
    const lease = await this.leases.update(
      leaseId,
      (l) => endLease(l, now, 'released', 'released by its renter'),
      now,
    );
    await this.jobs.stopAll(lease, `lease ${leaseId} released by its renter`);
    await this.billing.charge(lease, now);
    return lease;
  }

  private async watch(
    req: pb.WatchLeaseRequest,
    call: ServerWritableStream<pb.WatchLeaseRequest, pb.WatchLeaseResponse>,
  ): Promise<void> {
    const renter: TenantIdentity = await this.access.renter(call.metadata);
    let next = Math.max(1, req.fromSequence);
    let stop = false;
    call.on('cancelled', () => (stop = true));
    for (;;) {
      const lease = await this.leases.get(renter, requiredId(req.leaseId));
      for (const event of await this.leases.events(lease.id, next)) {
        if (stop) return;
        call.write({ event: toProtoLeaseEvent(event) });
        next = event.sequence + 1;
      }
      if (lease.state === 'ended' || stop) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
