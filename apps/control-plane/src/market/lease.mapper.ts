import {
  LeaseProduct as PbProduct,
  LeaseState as PbState,
  type Lease,
  type LeaseEvent,
} from '@gantry/proto';
import type { LeaseProduct, LeaseRecord, LeaseState } from '@gantry/domain';
import { toDuration } from '@gantry/grpc';
import type { LeaseEventRecord } from '@gantry/store';

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

export const PRODUCT_TO_PROTO: Record<LeaseProduct, PbProduct> = {
  'on-demand': PbProduct.LEASE_PRODUCT_ON_DEMAND,
  interruptible: PbProduct.LEASE_PRODUCT_INTERRUPTIBLE,
  reserved: PbProduct.LEASE_PRODUCT_RESERVED,
};

const STATE_TO_PROTO: Record<LeaseState, PbState> = {
  pending: PbState.LEASE_STATE_PENDING,
  active: PbState.LEASE_STATE_ACTIVE,
  notice: PbState.LEASE_STATE_NOTICE,
  ended: PbState.LEASE_STATE_ENDED,
};

/** The domain's lease states from the wire's (UNSPECIFIED: every state). */
export function fromProtoLeaseStates(states: readonly PbState[]): LeaseState[] {
  return states.flatMap((s) => {
    const found = (Object.entries(STATE_TO_PROTO) as [LeaseState, PbState][]).find(
      ([, v]) => v === s,
    );
    return found ? [found[0]] : [];
  });
}

export function toProtoLease(lease: LeaseRecord, renter: string, nodeNames: string[]): Lease {
  return {
    id: lease.id,
    renter,
    product: PRODUCT_TO_PROTO[lease.product],
    gpuModel: lease.gpuModel,
    gpus: lease.gpus,
    nodes: lease.nodes,
    fabricDomain: lease.fabricDomain ?? '',
    priceMicrosPerGpuHour: lease.pricePerGpuHour,
    state: STATE_TO_PROTO[lease.state],
    endReason: lease.endReason ?? '',
    message: lease.message,
    createTime: new Date(lease.createdAt),
    startTime: date(lease.startedAt),
    expireTime: new Date(lease.expiresAt),
    endTime: date(lease.endedAt),
    notice: toDuration(lease.noticeSeconds),
    noticeEndTime: date(lease.noticeEndsAt),
    gpuSeconds: lease.gpuSeconds,
    chargedMicros: lease.chargedMicros,
    creditedMicros: lease.creditedMicros,
    windowStartTime: date(lease.windowStartsAt),
    nodeNames,
    idempotencyKey: lease.idempotencyKey ?? '',
  };
}

export function toProtoLeaseEvent(event: LeaseEventRecord): LeaseEvent {
  return {
    sequence: event.sequence,
    time: new Date(event.time),
    type: event.type,
    message: event.message,
    noticeEndTime: date(event.noticeEndsAt),
    amountMicros: event.amount,
  };
}
