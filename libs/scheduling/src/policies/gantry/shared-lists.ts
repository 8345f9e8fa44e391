/**
 * The lists of models and totals that nodes of one model share, per index: over 10,000 nodes,
 * lists of their own made most of the index's objects (and the collector's copying).
 */
type Lists = readonly [models: readonly string[], totals: readonly number[]];

export class SharedLists {
  private readonly byModel = new Map<string, Map<number, Lists>>();

  of(model: string, total: number): Lists {
    let byTotal = this.byModel.get(model);
    if (!byTotal) this.byModel.set(model, (byTotal = new Map<number, Lists>()));
    let lists = byTotal.get(total);
    if (!lists) byTotal.set(total, (lists = [[model], [total]]));
    return lists;
  }
}
