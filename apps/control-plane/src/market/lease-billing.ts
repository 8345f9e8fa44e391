/**
 * A lease's money (ADR 10): charges for the whole minutes it delivered (and, once it ended, the
 * seconds to its end) and the credits it is owed, each one posting with a key derived from the
 * lease and the span, so computing them again after a crash finds them instead of doubling.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  chargePosting,
  creditOwed,
  creditPosting,
  FailedPreconditionError,
  meterLease,
  type LeaseRecord,
} from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { LeaseRepository, LedgerRepository } from '@gantry/store';
import { CONFIG, LEASES, LEDGER, LOGGER } from '../infrastructure/tokens';

@Injectable()
export class LeaseBilling {
  constructor(
    @Inject(LEASES) private readonly leases: LeaseRepository,
    @Inject(LEDGER) private readonly ledger: LedgerRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Posts what is due at `now` (every whole minute, or the rest once ended). Returns false when
   * the renter's balance cannot pay it (the lease must end, unfunded); that span is not charged.
   */
  async charge(lease: LeaseRecord, now: number): Promise<boolean> {
    const due = meterLease(lease, now);
    if (!due) return true;
    try {
      const { posting } = await this.ledger.post(
        chargePosting(lease, due.amount, due.from, due.to, due.gpuSeconds),
        now,
        { mayOverdraw: false },
      );
      await this.leases.addMoney(
        lease.id,
        { gpuSeconds: due.gpuSeconds, charged: due.amount, credited: 0 },
        due.to,
      );
      await this.leases.update(
        lease.id,
        () => ({
          patch: {},
          events: [
            {
              type: 'charged',
              message: `${due.gpuSeconds} GPU-seconds (${posting.id})`,
              noticeEndsAt: null,
              amount: due.amount,
            },
          ],
        }),
        now,
      );
      return true;
    } catch (error) {
      if (!(error instanceof FailedPreconditionError)) throw error;
      this.logger.warn({ leaseId: lease.id, err: error }, 'a lease charge was refused');
      return false;
    }
  }

  /**
   * Credits what the lease is owed when it ended after `givenNoticeSeconds` of notice. A lease is
   * credited once (its totals say whether): a retry after a crash finds the same posting.
   */
  async credit(lease: LeaseRecord, now: number, givenNoticeSeconds: number): Promise<void> {
    if (lease.creditedMicros > 0) return;
    const owed = creditOwed(lease, now, givenNoticeSeconds, this.config.faultCreditSeconds);
    if (owed.amount <= 0) return;
    await this.ledger.post(creditPosting(lease, owed.amount, owed.cause, owed.description), now, {
      mayOverdraw: true,
    });
    await this.leases.addMoney(
      lease.id,
      { gpuSeconds: 0, charged: 0, credited: owed.amount },
      null,
    );
    await this.leases.update(
      lease.id,
      () => ({
        patch: {},
        events: [
          { type: 'credited', message: owed.description, noticeEndsAt: null, amount: owed.amount },
        ],
      }),
      now,
    );
  }
}
