/** PriceBoundsRepository (libs/store/src/api/market.ts) in memory, for unit tests only. */
import {
  checkPriceBounds,
  GPU_MODELS,
  LEASE_PRODUCTS,
  type LeaseProduct,
  type PriceBounds,
} from '@gantry/domain';
import type { PriceBoundsRepository } from '@gantry/store';

const key = (model: string, product: LeaseProduct) => `${model}/${product}`;
const modelOrder = (model: string) => GPU_MODELS.findIndex((m) => m.id === model);

export class InMemoryPriceBoundsRepository implements PriceBoundsRepository {
  readonly bounds = new Map<string, PriceBounds>();

  async list(): Promise<PriceBounds[]> {
    return [...this.bounds.values()].sort(
      (a, b) =>
        modelOrder(a.gpuModel) - modelOrder(b.gpuModel) ||
        LEASE_PRODUCTS.indexOf(a.product) - LEASE_PRODUCTS.indexOf(b.product),
    );
  }

  async get(gpuModel: string, product: LeaseProduct): Promise<PriceBounds | undefined> {
    return this.bounds.get(key(gpuModel, product));
  }

  async put(bounds: PriceBounds, _now: number): Promise<PriceBounds> {
    const stored = checkPriceBounds(bounds);
    this.bounds.set(key(stored.gpuModel, stored.product), stored);
    return stored;
  }

  async seedDefaults(defaults: readonly PriceBounds[], _now: number): Promise<number> {
    let added = 0;
    for (const bounds of defaults) {
      if (this.bounds.has(key(bounds.gpuModel, bounds.product))) continue;
      this.bounds.set(key(bounds.gpuModel, bounds.product), bounds);
      added++;
    }
    return added;
  }
}
