import type { LeaseRecord } from '@gantry/domain';
import { T0 } from './parts';

/** An active on-demand lease of one H100 for an hour from T0, with any field changed. */
export function aLease(fields: Partial<LeaseRecord>): LeaseRecord {
  return {
    id: 'lease_1',
    tenantId: '',
    product: 'on-demand',
    gpuModel: 'H100-80GB',
    gpus: 1,
    nodes: 1,
    fabricDomain: null,
    pricePerGpuHour: 1_000_000,
    state: 'active',
    endReason: null,
    message: '',
    createdAt: T0,
    startedAt: T0,
    expiresAt: T0 + 3_600_000,
    endedAt: null,
    durationSeconds: 3600,
    noticeSeconds: 0,
    noticeEndsAt: null,
    windowStartsAt: null,
    jobId: null,
    meteredUntil: null,
    gpuSeconds: 0,
    chargedMicros: 0,
    creditedMicros: 0,
    idempotencyKey: null,
    ...fields,
  };
}
