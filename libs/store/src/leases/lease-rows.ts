import type { Updateable } from 'kysely';
import type { Selectable } from 'kysely';
import type { LeaseEndReason, LeaseProduct, LeaseRecord, LeaseState } from '@gantry/domain';
import { toDateOrNull, toMs, toMsOrNull } from '../mappers/time';
import type { LeasesTable } from '../schema';

export function leaseFromRow(row: Selectable<LeasesTable>): LeaseRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    product: row.product as LeaseProduct,
    gpuModel: row.gpu_model,
    gpus: row.gpus,
    nodes: row.nodes,
    fabricDomain: row.fabric_domain,
    pricePerGpuHour: Number(row.price_micros),
    state: row.state as LeaseState,
    endReason: row.end_reason as LeaseEndReason | null,
    message: row.message,
    createdAt: toMs(row.created_at),
    startedAt: toMsOrNull(row.started_at),
    expiresAt: toMs(row.expires_at),
    endedAt: toMsOrNull(row.ended_at),
    durationSeconds: row.duration_seconds,
    noticeSeconds: row.notice_seconds,
    noticeEndsAt: toMsOrNull(row.notice_ends_at),
    windowStartsAt: toMsOrNull(row.window_starts_at),
    jobId: row.job_id,
    meteredUntil: toMsOrNull(row.metered_until),
    gpuSeconds: Number(row.gpu_seconds),
    chargedMicros: Number(row.charged_micros),
    creditedMicros: Number(row.credited_micros),
    idempotencyKey: row.idempotency_key,
  };
}

/** The columns a lease patch may change (identity, product and price never change). */
export function leasePatchToRow(patch: Partial<LeaseRecord>): Updateable<LeasesTable> {
  const row: Record<string, unknown> = {};
  if (patch.state !== undefined) row['state'] = patch.state;
  if (patch.endReason !== undefined) row['end_reason'] = patch.endReason;
  if (patch.message !== undefined) row['message'] = patch.message;
  if (patch.startedAt !== undefined) row['started_at'] = toDateOrNull(patch.startedAt);
  if (patch.expiresAt !== undefined) row['expires_at'] = new Date(patch.expiresAt);
  if (patch.endedAt !== undefined) row['ended_at'] = toDateOrNull(patch.endedAt);
  if (patch.durationSeconds !== undefined) row['duration_seconds'] = patch.durationSeconds;
  if (patch.noticeEndsAt !== undefined) row['notice_ends_at'] = toDateOrNull(patch.noticeEndsAt);
  if (patch.meteredUntil !== undefined) row['metered_until'] = toDateOrNull(patch.meteredUntil);
  if (patch.jobId !== undefined) row['job_id'] = patch.jobId;
  return row;
}
