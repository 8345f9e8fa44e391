import { UnavailableError } from '@gantry/domain';
import { type JobEvent } from '@gantry/proto';
import { type GantryApi } from '../connection/grpc-api';
import { isTerminalState } from '../format/states';

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

export function isFinalEvent(event: JobEvent): boolean {
  return event.payload?.$case === 'stateChange' && isTerminalState(event.payload.stateChange.to);
}

/**
 * A job's events, surviving dropped connections: when the stream fails with UNAVAILABLE (or
 * ends before the job's final state), it waits with exponential backoff and resumes from the
 * last sequence seen + 1, skipping anything already yielded. Ends when the server closes the
 * stream after the final state. Other errors (NOT_FOUND, UNAUTHENTICATED...) are thrown at once.
 */
export async function* followJob(
  api: Pick<GantryApi, 'watchJob'>,
  jobId: string,
  options: FollowOptions,
): AsyncGenerator<JobEvent> {
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
      for await (const event of api.watchJob(jobId, next)) {
        if (event.sequence !== 0 && event.sequence < next) continue;
        next = event.sequence + 1;
        received = true;
        if (isFinalEvent(event)) finished = true;
        yield event;
      }
      if (finished) return;
      failure = new UnavailableError('the stream ended before the job did');
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
