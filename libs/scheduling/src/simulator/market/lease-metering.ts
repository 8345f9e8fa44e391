/**
 * Metering a replay's leases with the domain's own rules (ADR 10; libs/domain market): each
 * lease as the LeaseRecord the live lease controller would hold, charged with `meterLease`
 * (whole minutes while it lasts, the remaining whole seconds once it has ended) and, when a
 * reclaim gave less notice than promised, credited with `creditOwed` (the shortfall x GPUs x
 * bid). Delivery runs from the lease job's start to its end, the notice included.
 *
 * A reclaim is the policy preempting the lease job: the notice runs from that decision until
 * its GPUs go back (the engine hands them to another job only after). The lease was given its
 * promised notice when that lasted at least `noticeSeconds`, else it is owed the shortfall. A
 * lease told to stop that reached its own end first was not reclaimed: it expired with all it
 * bought (its notice is reported, never credited).
 */
import {
  creditOwed,
  meterLease,
  type LeaseEndReason,
  type LeaseRecord,
  type Micros,
} from '@gantry/domain';
import type { JobRecord } from '../engine/types';
import type { SimLease } from './renters';

export interface LeaseOutcome {
  readonly lease: SimLease;
  /** Seconds from the replay's start; null when it never started (or never ended). */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** `expired` (ran its duration), `reclaimed`, or null when it never ended. */
  readonly endReason: Extract<LeaseEndReason, 'expired' | 'reclaimed'> | null;
  /** GPUs x seconds from its start to its end (the notice included). */
  readonly deliveredGpuSeconds: number;
  /** When the policy told it to stop; null if never. */
  readonly noticeAt: number | null;
  /** Seconds from the notice to its end (reclaimed leases); null otherwise. */
  readonly givenNoticeSeconds: number | null;
  /** Reclaimed with at least the notice promised (null: not reclaimed). */
  readonly fullNotice: boolean | null;
  readonly chargedMicros: Micros;
  readonly creditedMicros: Micros;
}

const ms = (epochMs: number, seconds: number) => epochMs + seconds * 1000;

/** The lease as the live lease controller records it (interruptible, priced at its bid). */
export function leaseRecordOf(lease: SimLease, epochMs: number): LeaseRecord {
  return {
    id: lease.id,
    tenantId: lease.renter,
    product: 'interruptible',
    gpuModel: lease.gpuModel,
    gpus: lease.gpus,
    nodes: 1,
    fabricDomain: null,
    pricePerGpuHour: lease.bidPerGpuHour,
    state: 'pending',
    endReason: null,
    message: '',
    createdAt: ms(epochMs, lease.boughtAt),
    startedAt: null,
    expiresAt: ms(epochMs, lease.boughtAt + lease.durationSeconds),
    endedAt: null,
    durationSeconds: lease.durationSeconds,
    noticeSeconds: lease.noticeSeconds,
    noticeEndsAt: null,
    windowStartsAt: null,
    jobId: lease.id,
    meteredUntil: null,
    gpuSeconds: 0,
    chargedMicros: 0,
    creditedMicros: 0,
    idempotencyKey: null,
  };
}

/** What the lease controller would have charged a lease delivered over [start, end). */
function charges(record: LeaseRecord, start: number, end: number): Micros {
  const active: LeaseRecord = { ...record, state: 'active', startedAt: start, meteredUntil: start };
  const minutes = meterLease(active, end);
  const ended: LeaseRecord = {
    ...active,
    state: 'ended',
    endedAt: end,
    meteredUntil: minutes?.to ?? start,
  };
  return (minutes?.amount ?? 0) + (meterLease(ended, end)?.amount ?? 0);
}

/** One lease's outcome from its job's record (undefined: the job never ended). */
export function meterSimLease(
  lease: SimLease,
  record: JobRecord | undefined,
  epochMs = 0,
): LeaseOutcome {
  const run = record?.runs[record.runs.length - 1];
  if (!record || !run)
    return {
      lease,
      startedAt: null,
      endedAt: null,
      endReason: null,
      deliveredGpuSeconds: 0,
      noticeAt: null,
      givenNoticeSeconds: null,
      fullNotice: null,
      chargedMicros: 0,
      creditedMicros: 0,
    };
  const reclaimed = run.preempted;
  const start = ms(epochMs, run.startAt);
  const end = ms(epochMs, run.endAt);
  const base = leaseRecordOf(lease, epochMs);
  const given = reclaimed ? run.endAt - run.stopOrderedAt! : null;
  const fullNotice = given === null ? null : given >= lease.noticeSeconds;
  const ended: LeaseRecord = {
    ...base,
    state: 'ended',
    endReason: reclaimed ? 'reclaimed' : 'expired',
    startedAt: start,
    expiresAt: ms(epochMs, run.startAt + lease.durationSeconds),
    endedAt: end,
  };
  return {
    lease,
    startedAt: run.startAt,
    endedAt: run.endAt,
    endReason: reclaimed ? 'reclaimed' : 'expired',
    deliveredGpuSeconds: (run.endAt - run.startAt) * lease.gpus,
    noticeAt: run.stopOrderedAt,
    givenNoticeSeconds: given,
    fullNotice,
    chargedMicros: charges(base, start, end),
    creditedMicros: fullNotice === false ? creditOwed(ended, end, given!, 0).amount : 0,
  };
}
