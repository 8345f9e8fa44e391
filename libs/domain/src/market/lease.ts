/**
 * Leases (ADR 10): capacity a renter bought, scheduled as a job of kind `lease`. Pure records and
 * the rules of their life; the store keeps them, the lease controller moves them.
 */
import type { Micros } from './money';

export type LeaseProduct = 'on-demand' | 'interruptible' | 'reserved';

export const LEASE_PRODUCTS: readonly LeaseProduct[] = ['on-demand', 'interruptible', 'reserved'];

/** pending: bought, waiting for GPUs or its window; active: delivered; notice: being reclaimed. */
export type LeaseState = 'pending' | 'active' | 'notice' | 'ended';

/** Why a lease ended. */
export type LeaseEndReason = 'released' | 'expired' | 'reclaimed' | 'unfunded' | 'failed';

/** The priority class of each product's lease job (created by the control plane at start-up). */
export const LEASE_CLASS: Record<LeaseProduct, string> = {
  'on-demand': 'rental-on-demand',
  interruptible: 'rental-interruptible',
  reserved: 'rental-reserved',
};

/** The notice an interruptible lease gets unless configured otherwise. */
export const DEFAULT_NOTICE_SECONDS = 120;

/**
 * The `market` organization and its leaf queue per product: on-demand and reserved leases share
 * `market-dedicated`, guaranteed the capacity internal guarantees do not need (they are not
 * preemptible, so they may not borrow); interruptible leases borrow in `market-interruptible`.
 */
export const MARKET_ORG = 'market';
export const LEASE_QUEUE: Record<LeaseProduct, string> = {
  'on-demand': 'market-dedicated',
  interruptible: 'market-interruptible',
  reserved: 'market-dedicated',
};

/**
 * The lease classes (ADR 10): below every internal class, so a lease never preempts internal
 * work for priority (only a queue reclaiming its guarantee preempts); on-demand and reserved
 * leases are not preemptible and go before interruptible ones, which are.
 */
export const LEASE_CLASSES = [
  {
    name: 'rental-reserved',
    priority: 95,
    preemptible: false,
    minRuntimeSeconds: 0,
    gracePeriodSeconds: 30,
  },
  {
    name: 'rental-on-demand',
    priority: 90,
    preemptible: false,
    minRuntimeSeconds: 0,
    gracePeriodSeconds: 30,
  },
  {
    name: 'rental-interruptible',
    priority: 50,
    preemptible: true,
    minRuntimeSeconds: 0,
    gracePeriodSeconds: DEFAULT_NOTICE_SECONDS,
  },
] as const;

export interface LeaseRecord {
  /** lease_<ulid> */
  readonly id: string;
  /** The renter (a tenant of kind renter). */
  readonly tenantId: string;
  readonly product: LeaseProduct;
  readonly gpuModel: string;
  /** GPUs on each node. */
  readonly gpus: number;
  readonly nodes: number;
  /** The fabric domain it must be in; null for any. */
  readonly fabricDomain: string | null;
  /** Per GPU-hour: the quoted price, or the bid (interruptible). */
  readonly pricePerGpuHour: Micros;
  readonly state: LeaseState;
  readonly endReason: LeaseEndReason | null;
  readonly message: string;
  readonly createdAt: number;
  /** First delivery (the lease holder started); null before. */
  readonly startedAt: number | null;
  /** When it is to end: the requested duration from its start (or the reserved window's end). */
  readonly expiresAt: number;
  readonly endedAt: number | null;
  /** The duration bought, in seconds (expiresAt is set from it when the lease starts). */
  readonly durationSeconds: number;
  readonly noticeSeconds: number;
  /** Set in notice: when the GPUs are taken back. */
  readonly noticeEndsAt: number | null;
  /** Reserved: the window's start; null otherwise. */
  readonly windowStartsAt: number | null;
  /** The job holding its GPUs (kind lease); null before it is submitted. */
  readonly jobId: string | null;
  /** Metered up to here (epoch ms): charges cover [startedAt, meteredUntil). */
  readonly meteredUntil: number | null;
  readonly gpuSeconds: number;
  readonly chargedMicros: Micros;
  readonly creditedMicros: Micros;
  readonly idempotencyKey: string | null;
}

/** GPUs the lease holds in all. */
export function leaseGpus(lease: Pick<LeaseRecord, 'gpus' | 'nodes'>): number {
  return lease.gpus * lease.nodes;
}
