/**
 * AdminService's lease calls (ADR 10); an admin key is required.
 * - ReclaimLease: takes a lease's GPUs back after `notice` (0: at once). A notice shorter than
 *   the one promised (an interruptible lease's) is credited at once, as is the fault credit of an
 *   on-demand or reserved lease; the lease controller ends it at the notice's end. A pending
 *   lease ends at once; an ended one is returned as it is.
 * - GetMarketHistory: the market's samples over a period (revenue per interval).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  endLease,
  noticeLease,
  ValidationError,
  type Clock,
  type LeaseRecord,
} from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import { LeaseProduct, type PriceBounds } from '@gantry/proto';
import type * as pb from '@gantry/proto';
import type { LeaseRepository, MarketSampleRecord, MarketSampleRepository } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { CLOCK, LEASES, MARKET_SAMPLES } from '../infrastructure/tokens';
import { LeaseBilling } from './lease-billing';
import { LeaseJobs } from './lease-jobs';
import { PRODUCT_TO_PROTO, toProtoLease } from './lease.mapper';

const ADMIN = { tenantId: '', admin: true };
const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class LeaseAdminHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(MARKET_SAMPLES) private readonly samples: MarketSampleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly billing: LeaseBilling,
    private readonly jobs: LeaseJobs,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.AdminServiceServer, 'reclaimLease' | 'getMarketHistory'> {
    return {
      reclaimLease: unary(
        'ReclaimLease',
        async (req: pb.ReclaimLeaseRequest, call) => {
          await this.auth.admin(call.metadata);
          if (!req.leaseId) throw ValidationError.field('lease_id', 'is required');
          const notice = req.notice ? req.notice.seconds + req.notice.nanos / 1e9 : 0;
          if (!(notice >= 0 && notice <= 24 * 3600) || !Number.isInteger(notice))
            throw ValidationError.field('notice', 'must be whole seconds from 0 to 86400');
          const lease = await this.reclaim(
            req.leaseId,
            notice,
            req.reason || 'reclaimed by an admin',
          );
          return { lease: toProtoLease(lease, '', []) };
        },
        observer,
      ),
      getMarketHistory: unary(
        'GetMarketHistory',
        async (req: pb.GetMarketHistoryRequest, call) => {
          await this.auth.admin(call.metadata);
          const to = req.endTime?.getTime() ?? this.clock.now();
          const from = req.startTime?.getTime() ?? to - DAY_MS;
          if (from > to) throw ValidationError.field('start_time', 'must be before end_time');
          return { samples: toProtoSamples(await this.samples.list(from, to, 500)) };
        },
        observer,
      ),
    };
  }

  private async reclaim(leaseId: string, notice: number, why: string): Promise<LeaseRecord> {
    const now = this.clock.now();
    const lease = await this.leases.get(ADMIN, leaseId);
    if (lease.state === 'pending') {
      const ended = await this.leases.update(
        leaseId,
        (l) => endLease(l, now, 'reclaimed', why),
        now,
      );
      await this.jobs.stopAll(ended, `lease ${leaseId} reclaimed: ${why}`);
      return ended;
    }
    if (lease.state !== 'active') return lease;
    const noticed = await this.leases.update(
      leaseId,
      (l) => (l.state === 'active' ? noticeLease(l, now, notice, why) : null),
      now,
    );
    await this.billing.credit(noticed, now, notice);
    return this.leases.get(ADMIN, leaseId);
  }
}

function toProtoSamples(samples: readonly MarketSampleRecord[]): pb.MarketSample[] {
  return samples.map((s, i) => ({
    time: new Date(s.time),
    gpusTotal: s.gpusTotal,
    gpusInternal: s.gpusInternal,
    gpusRented: s.gpusRented,
    gpusIdle: s.gpusIdle,
    revenueMicros: i === 0 ? 0 : Math.max(0, s.revenue - samples[i - 1]!.revenue),
    queuePressure: s.queuePressure,
    prices: Object.entries(s.prices).map(([key, price]): PriceBounds => {
      const [gpuModel = '', product = ''] = key.split('/');
      return {
        gpuModel,
        product:
          PRODUCT_TO_PROTO[product as keyof typeof PRODUCT_TO_PROTO] ??
          LeaseProduct.LEASE_PRODUCT_UNSPECIFIED,
        baseMicrosPerGpuHour: 0,
        minMicrosPerGpuHour: 0,
        maxMicrosPerGpuHour: 0,
        currentMicrosPerGpuHour: price,
      };
    }),
  }));
}
