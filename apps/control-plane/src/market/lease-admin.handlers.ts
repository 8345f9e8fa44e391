/**
 * AdminService's lease calls: ReclaimLease, GetMarketHistory (ADR 10).
 */
import { Injectable } from '@nestjs/common';
import { FailedPreconditionError } from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';

// Being built (issue 5): each call answers FAILED_PRECONDITION until its part lands.
const notYet = (method: string) => async () => {
  throw new FailedPreconditionError(`${method} is not available yet`);
};

@Injectable()
export class LeaseAdminHandlers {
  implementation(
    observer: CallObserver,
  ): Pick<pb.AdminServiceServer, 'reclaimLease' | 'getMarketHistory'> {
    return {
      reclaimLease: unary('ReclaimLease', notYet('ReclaimLease'), observer),
      getMarketHistory: unary('GetMarketHistory', notYet('GetMarketHistory'), observer),
    };
  }
}
