/**
 * RentalService's GetUsage and GetStatement (ADR 10); a renter's key only, and a renter sees
 * only its own account (another renter's lease is NOT_FOUND).
 * - GetUsage: the balance and spend limit now; in [start_time, end_time): what was charged,
 *   credited and topped up (ledger entries of the renter's account) and the GPU-seconds of its
 *   leases that delivered in the period; the leases not ended. Writes and emits nothing.
 * - GetStatement: reads the ledger entries of the caller's `renter:<tenant>` account in
 *   [start_time, end_time) (open ends when unset), optionally of one lease, with the balance
 *   before, after each line and at the end, and the charges and credits among them. Writes and
 *   emits nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import { renterAccount, ValidationError } from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type {
  LeaseRepository,
  LedgerRepository,
  RenterRepository,
  StatementLineRecord,
  TenantIdentity,
} from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { LEASES, LEDGER, RENTERS } from '../infrastructure/tokens';

/** A statement line as RentalService shows it. */
export function toProtoStatementLine(line: StatementLineRecord): pb.StatementLine {
  return {
    time: new Date(line.time),
    kind: line.kind,
    amountMicros: line.amount,
    balanceMicros: line.balanceAfter,
    leaseId: line.leaseId ?? '',
    description: line.description,
    postingId: line.postingId,
  };
}

/** The period of a statement request: ValidationError when it ends before it starts. */
export function statementPeriod(req: pb.GetStatementRequest): {
  from: number | null;
  to: number | null;
} {
  const from = req.startTime ? req.startTime.getTime() : null;
  const to = req.endTime ? req.endTime.getTime() : null;
  if (from !== null && to !== null && to < from)
    throw ValidationError.field('end_time', 'must not be before start_time');
  return { from, to };
}

/** RentalService's usage calls (see the header). */
@Injectable()
export class UsageHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(LEDGER) private readonly ledger: LedgerRepository,
    @Inject(RENTERS) private readonly renters: RenterRepository,
    @Inject(LEASES) private readonly leases: LeaseRepository,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.RentalServiceServer, 'getUsage' | 'getStatement'> {
    return {
      getUsage: unary(
        'GetUsage',
        async (req: pb.GetUsageRequest, call) =>
          this.usage(await this.auth.renter(call.metadata), req),
        observer,
      ),
      getStatement: unary(
        'GetStatement',
        async (req: pb.GetStatementRequest, call) => {
          const renter = await this.auth.renter(call.metadata);
          const period = statementPeriod(req);
          if (req.leaseId) await this.leases.get(renter, req.leaseId); // another's: NOT_FOUND
          const { opening, closing, lines } = await this.ledger.statement(renter.tenantId, {
            ...period,
            ...(req.leaseId ? { leaseId: req.leaseId } : {}),
          });
          const sum = (kind: string) =>
            lines.filter((l) => l.kind === kind).reduce((total, l) => total + l.amount, 0);
          return {
            lines: lines.map(toProtoStatementLine),
            openingBalanceMicros: opening,
            closingBalanceMicros: closing,
            chargedMicros: 0 - sum('charge'),
            creditedMicros: sum('credit'),
          };
        },
        observer,
      ),
    };
  }

  private async usage(
    renter: TenantIdentity,
    req: pb.GetUsageRequest,
  ): Promise<pb.GetUsageResponse> {
    const period = statementPeriod({ ...req, leaseId: '' });
    const [{ lines }, balance, { spendLimit }] = await Promise.all([
      this.ledger.statement(renter.tenantId, period),
      this.ledger.balance(renterAccount(renter.tenantId)),
      this.renters.getRenter(renter.tenantName),
    ]);
    const sum = (kind: string) =>
      lines.filter((l) => l.kind === kind).reduce((total, l) => total + l.amount, 0);
    let gpuSeconds = 0;
    let active = 0;
    for (let token = ''; ;) {
      const page = await this.leases.list(renter, [], 1000, token);
      for (const lease of page.leases) {
        if (lease.state !== 'ended') active++;
        const started = lease.startedAt;
        const overlaps =
          started !== null &&
          (period.to === null || started < period.to) &&
          (period.from === null || lease.endedAt === null || lease.endedAt > period.from);
        if (overlaps) gpuSeconds += lease.gpuSeconds;
      }
      token = page.nextPageToken;
      if (!token) break;
    }
    return {
      balanceMicros: balance,
      spendLimitMicros: spendLimit,
      gpuSeconds,
      chargedMicros: 0 - sum('charge'),
      creditedMicros: sum('credit'),
      toppedUpMicros: sum('topup'),
      activeLeases: active,
    };
  }
}
