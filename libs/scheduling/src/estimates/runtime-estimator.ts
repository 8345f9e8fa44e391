/**
 * Runtime estimates learned from finished jobs, for backfill reservations and the expected end
 * of running jobs. The estimate for a job is, in order:
 *   1. its time limit, when it has one;
 *   2. the median of the last `window` finished run times of the same tenant and kind, once
 *      there are at least `minSamples` of them;
 *   3. else the median of the last `window` finished run times of the kind (any tenant), with
 *      the same minimum;
 *   4. else `defaultSeconds`.
 * The median of a sliding window is robust to the heavy tail of GPU job durations (one 8-day
 * job does not make every estimate 8 days) and follows a tenant whose jobs change.
 *
 * Pure and incremental: `record` costs O(window log window), `estimate` is O(1) (two map
 * look-ups of cached medians). No clock, no I/O; the same records give the same estimates.
 */
export interface EstimatorOptions {
  /** Finished jobs remembered per key (tenant and kind, or kind alone). */
  readonly window: number;
  /** Finished jobs a key needs before its median is used. */
  readonly minSamples: number;
  /** The estimate when nothing fits (seconds). */
  readonly defaultSeconds: number;
}

export const DEFAULT_ESTIMATOR_OPTIONS: EstimatorOptions = {
  window: 20,
  minSamples: 3,
  defaultSeconds: 3600,
};

/** The last `window` run times of one key and their median. */
export class DurationWindow {
  private readonly values: number[] = [];
  private next = 0;
  median = 0;
  /** Bumped by every `add`: the median can only have changed when it has. */
  revision = 0;

  constructor(private readonly size: number) {}

  get count(): number {
    return this.values.length;
  }

  add(value: number): void {
    if (this.values.length < this.size) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
    this.revision += 1;
    const sorted = [...this.values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    this.median =
      sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
}

export interface EstimateKey {
  readonly own: DurationWindow;
  readonly shared: DurationWindow;
}

export class RuntimeEstimator {
  private readonly byTenantKind = new Map<string, DurationWindow>();
  private readonly byKind = new Map<string, DurationWindow>();
  private changes = 0;
  readonly options: EstimatorOptions;

  constructor(options: Partial<EstimatorOptions> = {}) {
    this.options = { ...DEFAULT_ESTIMATOR_OPTIONS, ...options };
    if (!(this.options.window >= 1) || !Number.isInteger(this.options.window))
      throw new RangeError(`estimator window: must be a whole number >= 1`);
    if (!(this.options.minSamples >= 1 && this.options.minSamples <= this.options.window))
      throw new RangeError(`estimator minSamples: must be from 1 to the window`);
    if (!(this.options.defaultSeconds > 0))
      throw new RangeError(`estimator defaultSeconds: must be > 0`);
  }

  /** Bumped by every `record`: estimates can only have changed when it has. */
  get version(): number {
    return this.changes;
  }

  /** A job of this tenant and kind finished after running `seconds` in all. */
  record(tenant: string, kind: string, seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`run time must be >= 0 (got ${seconds})`);
    this.windowOf(this.byTenantKind, `${tenant}\u0000${kind}`).add(seconds);
    this.windowOf(this.byKind, kind).add(seconds);
    this.changes += 1;
  }

  /** The estimated run time of a job (seconds), by the rules above. */
  estimate(tenant: string, kind: string, timeLimitSeconds: number | null = null): number {
    if (timeLimitSeconds !== null && timeLimitSeconds > 0) return timeLimitSeconds;
    return this.estimateFor(this.keyOf(tenant, kind));
  }

  /**
   * A handle on the estimates of one tenant and kind: a caller that asks for the same key
   * again and again (a simulator, every cycle) resolves it once and skips the look-ups.
   */
  keyOf(tenant: string, kind: string): EstimateKey {
    return {
      own: this.windowOf(this.byTenantKind, `${tenant}\u0000${kind}`),
      shared: this.windowOf(this.byKind, kind),
    };
  }

  /** The estimate for a key from `keyOf` (no time limit). */
  estimateFor(key: EstimateKey): number {
    if (key.own.count >= this.options.minSamples) return key.own.median;
    if (key.shared.count >= this.options.minSamples) return key.shared.median;
    return this.options.defaultSeconds;
  }

  private windowOf(map: Map<string, DurationWindow>, key: string): DurationWindow {
    let window = map.get(key);
    if (!window) {
      window = new DurationWindow(this.options.window);
      map.set(key, window);
    }
    return window;
  }
}

/**
 * What is left of an estimate after `doneSeconds` of work. A job that has outlived its
 * estimate is expected to run as long again as it has (the estimate doubles until it lies
 * ahead), so overdue jobs never look as if they end now; never less than 1 s.
 */
export function remainingEstimate(estimateSeconds: number, doneSeconds: number): number {
  let total = Math.max(estimateSeconds, 1);
  while (total <= doneSeconds) total *= 2;
  return total - doneSeconds;
}

/**
 * A job's kind for runtime estimates: jobs of one tenant and kind are assumed to run for
 * similar times. Jobs from traces carry no kind of their own, so the kind is a bucket of the
 * GPU count (1, 2-4, 5-8, 9+): a 1-GPU debugging run and a 64-GPU training run of the same
 * tenant do not share an estimate.
 */
export type GpuCountKind = 'gpus:1' | 'gpus:2-4' | 'gpus:5-8' | 'gpus:9+';

export function gpuCountKind(gpus: number): GpuCountKind {
  if (gpus <= 1) return 'gpus:1';
  if (gpus <= 4) return 'gpus:2-4';
  if (gpus <= 8) return 'gpus:5-8';
  return 'gpus:9+';
}
