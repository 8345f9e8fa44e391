/**
 * Timers as the leader elector uses them, injected so tests drive time by hand.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The call took longer than its deadline (its result, if one comes, is ignored). */
export class CallTimeoutError extends Error {
  override name = 'CallTimeoutError';
}

/** Resolves like `call`, or rejects with CallTimeoutError after `ms` on `timers`. */
export async function withTimeout<T>(
  timers: Timers,
  ms: number,
  what: string,
  call: Promise<T>,
): Promise<T> {
  let handle: unknown;
  const timeout = new Promise<never>((_, reject) => {
    handle = timers.setTimeout(
      () => reject(new CallTimeoutError(`${what} took longer than ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    timers.clearTimeout(handle);
  }
}

/** Runs a call so that even a synchronous throw becomes a rejected promise. */
export async function invoke<T>(call: () => Promise<T>): Promise<T> {
  return call();
}
