import { UnavailableError } from '@gantry/domain';

export interface FollowOptions {
  /** The first event sequence wanted; 0 sends the whole history. */
  readonly fromSequence: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Told before each wait to reconnect. */
  readonly onRetry?: (error: unknown, delayMs: number, nextSequence: number) => void;
  /** Consecutive connections without an event before giving up (default 8, about 45 s). */
  readonly maxFailures?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** A numbered event stream (WatchJob, WatchLease) and what its last event looks like. */
export interface EventStream<E extends { readonly sequence: number }> {
  /** Opens the stream from `fromSequence` on. */
  open(fromSequence: number): AsyncIterable<E>;
  /** Whether an event is the last one (the server closes the stream after it). */
  isFinal(event: E): boolean;
  /** What ends: `the job`, `the lease` (for the message when the stream stops early). */
  readonly what: string;
}

/**
 * Events of a numbered stream, surviving dropped connections: when the stream fails with
 * UNAVAILABLE (or ends before its final event), it waits with exponential backoff and resumes
 * from the last sequence seen + 1, skipping anything already yielded. Ends when the server
 * closes the stream after the final event. Other errors (NOT_FOUND, UNAUTHENTICATED...) are
 * thrown at once.
 */
export async function* followStream<E extends { readonly sequence: number }>(
  stream: EventStream<E>,
  options: FollowOptions,
): AsyncGenerator<E> {
  const maxFailures = options.maxFailures ?? 8;
  const initialDelay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  let next = options.fromSequence;
  let finished = false;
  let failures = 0;
  for (;;) {
    let received = false;
    let failure: unknown;
    try {
      for await (const event of stream.open(next)) {
        if (event.sequence !== 0 && event.sequence < next) continue;
        next = event.sequence + 1;
        received = true;
        if (stream.isFinal(event)) finished = true;
        yield event;
      }
      if (finished) return;
      failure = new UnavailableError(`the stream ended before ${stream.what} did`);
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      if (finished) return;
      failure = error;
    }
    failures = received ? 1 : failures + 1;
    if (failures > maxFailures) throw failure;
    const delay = Math.min(maxDelay, initialDelay * 2 ** (failures - 1));
    options.onRetry?.(failure, delay, next);
    await options.sleep(delay);
  }
}
