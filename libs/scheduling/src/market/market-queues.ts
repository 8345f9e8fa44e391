/**
 * What the market's figures need to know about queues and shapes: which queues are the
 * market's (leases), which are internal leaves (guarantees), and whether a pending job's shape
 * could ever run on a model's nodes.
 */
import { LEASE_QUEUE, MARKET_ORG } from '@gantry/domain';
import type { JobShape, QueueSpec } from '../model';
import type { NodeShare } from './figures';

/**
 * How the market holds capacity: `dedicated` (on-demand and reserved leases share one queue, not
 * preemptible), `interruptible` (may be reclaimed), `market` (another queue of the `market`
 * organization, taken as not preemptible).
 */
export type MarketTier = 'dedicated' | 'interruptible' | 'market';

const MARKET_LEAVES = new Map<string, MarketTier>([
  [LEASE_QUEUE.interruptible, 'interruptible'],
  [LEASE_QUEUE['on-demand'], 'dedicated'],
  [LEASE_QUEUE.reserved, 'dedicated'],
]);

/** The market tier of a queue; undefined for an internal queue. */
export function marketTierOf(
  queue: string,
  queues: ReadonlyMap<string, QueueSpec>,
): MarketTier | undefined {
  const tier = MARKET_LEAVES.get(queue);
  if (tier) return tier;
  let name: string | null = queue;
  for (let depth = 0; name !== null && depth < 64; depth++) {
    if (name === MARKET_ORG) return 'market';
    name = queues.get(name)?.parent ?? null;
  }
  return undefined;
}

/**
 * The internal leaf queues (no children, not the market's), and the queues pending jobs name
 * that the tree does not list (no guarantee).
 */
export function internalLeaves(
  queues: readonly QueueSpec[],
  tierOf: (queue: string) => unknown,
  waitedIn: readonly string[],
): { name: string; spec?: QueueSpec }[] {
  const parents = new Set(queues.map((q) => q.parent));
  const listed = queues
    .filter((q) => !parents.has(q.name) && tierOf(q.name) === undefined)
    .map((q) => ({ name: q.name, spec: q }));
  const known = new Set(queues.map((q) => q.name));
  return [...listed, ...waitedIn.filter((q) => !known.has(q)).map((name) => ({ name }))];
}

/** Whether a shape could ever run on a model's schedulable nodes. */
export function fitTest(shares: readonly NodeShare[]): (shape: JobShape, model: string) => boolean {
  const sizes = new Map<string, Map<string, number[]>>();
  for (const s of shares) {
    const byDomain = sizes.get(s.model) ?? new Map<string, number[]>();
    sizes.set(s.model, byDomain);
    byDomain.set(s.domain, [...(byDomain.get(s.domain) ?? []), s.gpus]);
  }
  return (shape, model) => {
    if (shape.gpuModel !== null && shape.gpuModel !== model) return false;
    for (const list of sizes.get(model)?.values() ?? []) {
      if (list.filter((g) => g >= shape.gpusPerNode).length >= shape.nodes) return true;
    }
    return false;
  };
}
