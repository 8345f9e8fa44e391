/**
 * Per-cycle answers kept per GPU model and job shape (nodes x GPUs per node). A cycle looks one
 * up for most of 20,000 jobs, and a string key per look-up (`model|nodes|gpus`, joined, then
 * flattened to hash) was a good part of a cycle's garbage: here the model picks a table and the
 * two counts make one number (a string only for counts a number cannot hold both of).
 */
const SPAN = 65_536;

function shapeKey(nodes: number, gpus: number): number | string {
  return Number.isInteger(nodes) &&
    Number.isInteger(gpus) &&
    nodes >= 0 &&
    gpus >= 0 &&
    nodes < SPAN &&
    gpus < SPAN
    ? nodes * SPAN + gpus
    : `${nodes}|${gpus}`;
}

export class ShapeTable<T> {
  private readonly byModel = new Map<string, Map<number | string, T>>();

  get(model: string, nodes: number, gpus: number): T | undefined {
    return this.byModel.get(model)?.get(shapeKey(nodes, gpus));
  }

  set(model: string, nodes: number, gpus: number, value: T): T {
    let table = this.byModel.get(model);
    if (!table) this.byModel.set(model, (table = new Map<number | string, T>()));
    table.set(shapeKey(nodes, gpus), value);
    return value;
  }
}
