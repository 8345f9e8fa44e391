/**
 * RentalService's lease calls: CreateLease, ExtendLease, ReleaseLease, GetLease, ListLeases,
 * WatchLease (ADR 10).
 */
import { Injectable } from '@nestjs/common';
import { FailedPreconditionError } from '@gantry/domain';
import { serverStreaming, unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';

// Being built (issue 5): each call answers FAILED_PRECONDITION until its part lands.
const notYet = (method: string) => async () => {
  throw new FailedPreconditionError(`${method} is not available yet`);
};

@Injectable()
export class LeasesHandlers {
  implementation(
    observer: CallObserver,
  ): Pick<
    pb.RentalServiceServer,
    'createLease' | 'extendLease' | 'releaseLease' | 'getLease' | 'listLeases' | 'watchLease'
  > {
    return {
      createLease: unary('CreateLease', notYet('CreateLease'), observer),
      extendLease: unary('ExtendLease', notYet('ExtendLease'), observer),
      releaseLease: unary('ReleaseLease', notYet('ReleaseLease'), observer),
      getLease: unary('GetLease', notYet('GetLease'), observer),
      listLeases: unary('ListLeases', notYet('ListLeases'), observer),
      watchLease: serverStreaming('WatchLease', notYet('WatchLease'), observer),
    };
  }
}
