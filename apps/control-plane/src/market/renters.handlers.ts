/**
 * AdminService's renter calls: CreateRenter, ListRenters, TopUp, SetSpendLimit (ADR 10).
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
export class RentersHandlers {
  implementation(
    observer: CallObserver,
  ): Pick<pb.AdminServiceServer, 'createRenter' | 'listRenters' | 'topUp' | 'setSpendLimit'> {
    return {
      createRenter: unary('CreateRenter', notYet('CreateRenter'), observer),
      listRenters: unary('ListRenters', notYet('ListRenters'), observer),
      topUp: unary('TopUp', notYet('TopUp'), observer),
      setSpendLimit: unary('SetSpendLimit', notYet('SetSpendLimit'), observer),
    };
  }
}
