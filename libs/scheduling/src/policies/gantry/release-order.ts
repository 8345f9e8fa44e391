/**
 * Where a node puts its releases of one model to go through them in time order, without objects
 * per release (a cycle asks this of every node): the lists are shared, as a cycle is one
 * synchronous call and a node fills and reads them in one go.
 */

export const scratch = { at: [] as number[], gpus: [] as number[], order: [] as number[] };

/**
 * The first `count` releases in `scratch` by time, as indices: a stable sort, as the sort of
 * release objects it replaces (which NaN times, having no order, still get).
 */
export function releaseOrder(count: number): readonly number[] {
  const { at, order } = scratch;
  order.length = count;
  let nan = false;
  for (let i = 0; i < count; i++) {
    order[i] = i;
    nan ||= Number.isNaN(at[i]);
  }
  if (nan) return order.sort((a, b) => at[a]! - at[b]!);
  for (let i = 1; i < count; i++) {
    const item = order[i]!;
    let j = i - 1;
    for (; j >= 0 && at[order[j]!]! > at[item]!; j--) order[j + 1] = order[j]!;
    order[j + 1] = item;
  }
  return order;
}
