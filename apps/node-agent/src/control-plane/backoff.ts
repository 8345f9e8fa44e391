/** Capped exponential backoff with jitter, for retries against the control plane. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Spread of each delay: 0.2 means ±20 %, so a fleet of agents does not retry in step. */
  readonly jitter?: number;
  /** Random numbers in [0, 1); injected so tests get exact delays. */
  readonly random?: () => number;
}

export const CONTROL_PLANE_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000, jitter: 0.2 };

export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next try, after one more failure. */
  next(): number {
    const { initialMs, maxMs, jitter = 0, random = Math.random } = this.options;
    const base = Math.min(maxMs, initialMs * 2 ** this.failures);
    this.failures += 1;
    return Math.round(base * (1 + jitter * (2 * random() - 1)));
  }

  reset(): void {
    this.failures = 0;
  }

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /**
   * Whether the failure just counted deserves a log line: each step while the delay still
   * grows, then one in ten at the cap, so an outage is visible but not a flood.
   */
  shouldLog(): boolean {
    const { initialMs, maxMs } = this.options;
    const stepsToCap = Math.ceil(Math.log2(maxMs / initialMs)) + 1;
    return this.failures <= stepsToCap || this.failures % 10 === 0;
  }
}
