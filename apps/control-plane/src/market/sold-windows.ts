/**
 * The reserved windows already sold (ADR 10): reserved leases bought whose window has not
 * started yet. Their GPUs are promised for [window start, expiry), so the market view takes them
 * off the reserved offers that overlap. Reads: the live leases. Writes: nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import { leaseGpus, type LeaseRecord } from '@gantry/domain';
import type { ReservedWindow } from '@gantry/scheduling';
import type { LeaseRepository } from '@gantry/store';
import { LEASES } from '../infrastructure/tokens';
import type { ReservedWindowSource } from './market-view';

/** Live leases read at most (the lease controller advances as many per loop). */
const MAX_LIVE = 10_000;

/** A reserved lease not started yet, as the window it promises; null for any other lease. */
export function soldWindow(lease: LeaseRecord, now: number): ReservedWindow | null {
  if (lease.product !== 'reserved' || lease.state !== 'pending') return null;
  if (lease.windowStartsAt === null || lease.expiresAt <= now) return null;
  return {
    gpuModel: lease.gpuModel,
    gpus: leaseGpus(lease),
    from: lease.windowStartsAt,
    until: lease.expiresAt,
  };
}

@Injectable()
export class SoldWindows implements ReservedWindowSource {
  constructor(@Inject(LEASES) private readonly leases: LeaseRepository) {}

  async reservedWindows(now: number): Promise<readonly ReservedWindow[]> {
    const live = await this.leases.live(MAX_LIVE);
    return live.flatMap((lease) => soldWindow(lease, now) ?? []);
  }
}
