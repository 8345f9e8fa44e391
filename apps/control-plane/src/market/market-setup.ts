/**
 * The market's queues and classes (ADR 10), made at start-up when missing: the `market`
 * organization with its leaves `market-dedicated` and `market-interruptible`, and the lease
 * classes (the interruptible class's grace is GANTRY_LEASE_NOTICE_SECONDS, kept in step with the
 * setting). An admin may change limits later; existing queues keep them. The dedicated queue's
 * guarantee is kept current by the lease controller (`marketGuarantee`): what the dedicated
 * (on-demand and reserved) leases that hold or want GPUs now need, within what internal
 * guarantees leave. With no dedicated lease the market guarantees nothing, so a cluster that
 * sells only interruptible hours schedules its own work exactly as it would without a market.
 */
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import {
  LEASE_CLASSES,
  LEASE_QUEUE,
  leaseGpus,
  MARKET_ORG,
  type Clock,
  type LeaseRecord,
} from '@gantry/domain';
import { type Logger } from '@gantry/observability';
import type { NodeRecord, PolicyRepository, QueueRecord } from '@gantry/store';
import { CLOCK, CONFIG, LOGGER, POLICY } from '../infrastructure/tokens';

const DEDICATED = LEASE_QUEUE['on-demand'];
const INTERRUPTIBLE = LEASE_QUEUE.interruptible;

/**
 * The GPUs per model the dedicated leases need now (held, or wanted: pending and past any
 * reserved window's start), capped by what internal guarantees do not need: the nodes' GPUs
 * minus the guarantees of the organizations other than `market` (a `*` guarantee counts
 * against every model). Interruptible leases borrow and need no guarantee.
 */
export function marketGuarantee(
  nodes: readonly NodeRecord[],
  queues: readonly QueueRecord[],
  leases: readonly LeaseRecord[],
  now: number,
): Record<string, number> {
  const demand: Record<string, number> = {};
  for (const lease of leases) {
    if (lease.product === 'interruptible' || lease.state === 'ended') continue;
    if (lease.state === 'pending' && lease.windowStartsAt !== null && now < lease.windowStartsAt)
      continue;
    demand[lease.gpuModel] = (demand[lease.gpuModel] ?? 0) + leaseGpus(lease);
  }
  const capacity: Record<string, number> = {};
  for (const node of nodes)
    if (node.state === 'ready')
      for (const gpu of node.inventory.gpus)
        if (gpu.model) capacity[gpu.model] = (capacity[gpu.model] ?? 0) + 1;
  const internal = queues.filter((q) => q.parent === null && q.name !== MARKET_ORG);
  const guaranteed: Record<string, number> = {};
  for (const [model, gpus] of Object.entries(capacity)) {
    const taken = internal.reduce(
      (sum, q) => sum + (q.guaranteed[model] ?? q.guaranteed['*'] ?? 0),
      0,
    );
    const left = Math.min(Math.max(0, gpus - taken), demand[model] ?? 0);
    if (left > 0) guaranteed[model] = left;
  }
  return guaranteed;
}

@Injectable()
export class MarketSetup implements OnApplicationBootstrap {
  constructor(
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const classes = await this.policy.listClasses();
    for (const wanted of LEASE_CLASSES) {
      const grace =
        wanted.name === 'rental-interruptible'
          ? this.config.leaseNoticeSeconds
          : wanted.gracePeriodSeconds;
      const existing = classes.find((c) => c.name === wanted.name);
      if (!existing || existing.gracePeriodSeconds !== grace)
        await this.policy.putClass({ ...wanted, gracePeriodSeconds: grace });
    }
    const queues = await this.policy.listQueues();
    const now = this.clock.now();
    const missing = (name: string) => !queues.some((q) => q.name === name);
    const leaf = (name: string): QueueRecord => ({
      name,
      parent: MARKET_ORG,
      guaranteed: {},
      max: {},
      weight: 1,
    });
    if (missing(MARKET_ORG))
      await this.policy.putQueue(
        { name: MARKET_ORG, parent: null, guaranteed: {}, max: {}, weight: 1 },
        now,
      );
    if (missing(DEDICATED)) await this.policy.putQueue(leaf(DEDICATED), now);
    if (missing(INTERRUPTIBLE)) await this.policy.putQueue(leaf(INTERRUPTIBLE), now);
    this.logger.info({ notice: this.config.leaseNoticeSeconds }, 'market queues and classes ready');
  }

  /** Sets the market's guarantees to what its dedicated leases need (when that changed). */
  async keepGuarantee(nodes: readonly NodeRecord[], leases: readonly LeaseRecord[]): Promise<void> {
    const queues = await this.policy.listQueues();
    const now = this.clock.now();
    const wanted = marketGuarantee(nodes, queues, leases, now);
    const org = queues.find((q) => q.name === MARKET_ORG);
    const dedicated = queues.find((q) => q.name === DEDICATED);
    if (!org || !dedicated) return;
    const same = (a: Record<string, number>) =>
      JSON.stringify(sorted(a)) === JSON.stringify(sorted(wanted));
    if (same(org.guaranteed) && same(dedicated.guaranteed)) return;
    // Raise the organization first, lower it last: children may never exceed their parent.
    const raise = Object.entries(wanted).some(([m, n]) => n > (org.guaranteed[m] ?? 0));
    const putOrg = () => this.policy.putQueue({ ...org, guaranteed: wanted }, now);
    const putDedicated = () => this.policy.putQueue({ ...dedicated, guaranteed: wanted }, now);
    if (raise) {
      await putOrg();
      await putDedicated();
    } else {
      await putDedicated();
      await putOrg();
    }
    this.logger.info({ guaranteed: wanted }, 'market guarantee updated');
  }
}

function sorted(record: Record<string, number>): [string, number][] {
  return Object.entries(record)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b));
}
