/**
 * A job of a recorded trace, as the simulator replays it. Parsers (philly.ts, itp.ts) turn a
 * trace file's text into these; `prepareTrace` orders them, keeps the first `limit`, and
 * applies the load factor.
 */
export interface TraceJob {
  readonly id: string;
  /** Submit time, seconds (any origin; prepareTrace moves the first to 0). */
  readonly submitAt: number;
  /** How long the job ran in the trace, seconds: its true run time, never shown to a policy. */
  readonly duration: number;
  readonly gpus: number;
  /** The trace's own tenant (Philly's virtual cluster), or null when the trace has none. */
  readonly tenant: string | null;
}

export type TraceFormat = 'philly' | 'itp';

/** A trace file's content could not be read as the format says; names the line. */
export class TraceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFormatError';
  }
}

export interface PrepareOptions {
  /** Divides every inter-arrival time: 2 submits twice as fast. Must be > 0. */
  readonly load: number;
  /** Keep only the first `limit` jobs in submit order (null: all). */
  readonly limit: number | null;
}

/**
 * Sorts by submit time (stable: ties keep file order), keeps the first `limit`, shifts the
 * first submit to 0 and divides submit times by `load`, rounded to whole seconds (so
 * near-simultaneous arrivals land in one scheduling cycle). Durations are rounded to whole
 * seconds too: the simulator's clock ticks in seconds.
 */
export function prepareTrace(jobs: readonly TraceJob[], options: PrepareOptions): TraceJob[] {
  if (!(options.load > 0) || !Number.isFinite(options.load))
    throw new RangeError(`load: must be a number > 0 (got ${options.load})`);
  if (options.limit !== null && !(Number.isInteger(options.limit) && options.limit >= 1))
    throw new RangeError(`limit: must be a whole number >= 1 (got ${options.limit})`);
  const ordered = jobs
    .map((job, position) => ({ job, position }))
    .sort((a, b) => a.job.submitAt - b.job.submitAt || a.position - b.position)
    .map(({ job }) => job);
  const kept = options.limit === null ? ordered : ordered.slice(0, options.limit);
  const origin = kept[0]?.submitAt ?? 0;
  return kept.map((job) => ({
    ...job,
    submitAt: Math.round((job.submitAt - origin) / options.load),
    duration: Math.round(job.duration),
  }));
}
