/**
 * The queue tree for a replay: one organization (`org`) holding the whole cluster, one leaf
 * queue per tenant. A leaf's guaranteed quota of each GPU model is its share of the replayed
 * jobs' GPU-time (GPUs x duration), rounded by largest remainder so the leaves sum exactly to
 * the cluster's GPUs of that model; no maximum (idle quota can always be borrowed).
 */
import type { QueueSpec } from '../../model';

export const ORG_QUEUE = 'org';

/** Splits `total` into whole parts proportional to `weights` (largest remainder; ties by order). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

export function buildQueues(
  gpuSecondsByTenant: ReadonlyMap<string, number>,
  gpusByModel: Readonly<Record<string, number>>,
): QueueSpec[] {
  const tenants = [...gpuSecondsByTenant.keys()].sort();
  const weights = tenants.map((t) => gpuSecondsByTenant.get(t)!);
  const guaranteed = tenants.map((): Record<string, number> => ({}));
  for (const [model, total] of Object.entries(gpusByModel))
    apportion(total, weights).forEach((part, i) => (guaranteed[i]![model] = part));
  return [
    { name: ORG_QUEUE, parent: null, guaranteed: { ...gpusByModel }, max: {}, weight: 1 },
    ...tenants.map((tenant, i) => ({
      name: tenant,
      parent: ORG_QUEUE,
      guaranteed: guaranteed[i]!,
      max: {},
      weight: 1,
    })),
  ];
}
