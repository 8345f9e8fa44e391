/**
 * RentalService's GetUsage and GetStatement (ADR 10); a renter's key only, and a renter sees
 * only its own account.
 * - GetStatement: reads the ledger entries of the caller's `renter:<tenant>` account in
 *   [start_time, end_time) (open ends when unset), optionally of one lease, with the balance
 *   before, after each line and at the end, and the charges and credits among them. Writes and
 *   emits nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import { FailedPreconditionError, ValidationError } from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { LedgerRepository, StatementLineRecord } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { LEDGER } from '../infrastructure/tokens';

// Being built (issue 5): each call answers FAILED_PRECONDITION until its part lands.
const notYet = (method: string) => async () => {
  throw new FailedPreconditionError(`${method} is not available yet`);
};

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
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.RentalServiceServer, 'getUsage' | 'getStatement'> {
    return {
      getUsage: unary('GetUsage', notYet('GetUsage'), observer),
      getStatement: unary(
        'GetStatement',
        async (req: pb.GetStatementRequest, call) => {
          const renter = await this.auth.renter(call.metadata);
          const period = statementPeriod(req);
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
            chargedMicros: -sum('charge'),
            creditedMicros: sum('credit'),
          };
        },
        observer,
      ),
    };
  }
}
