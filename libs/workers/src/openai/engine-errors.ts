import { UnavailableError } from '@gantry/domain';

/** How many lines of an engine's log its errors carry. */
export const ENGINE_LOG_TAIL_LINES = 50;

/** `message`, then the log lines that explain it (if any), indented under a header. */
export function withLogTail(message: string, logTail: readonly string[]): string {
  if (logTail.length === 0) return message;
  return `${message}; last ${logTail.length} lines of its log:\n  ${logTail.join('\n  ')}`;
}

/**
 * An engine did not answer: the connection failed (refused, reset) or no answer came within the
 * call's timeout. Retryable: the engine may be back, or the task may run elsewhere.
 */
export class EngineUnreachableError extends UnavailableError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`engine at ${url} unreachable: ${reason}`, options);
  }
}

/**
 * An engine did not become ready: it could not be spawned, exited first, did not answer
 * `GET /health` with 200 within the start timeout, or was stopped before it was ready. The
 * message ends with the last lines of its log.
 */
export class EngineStartError extends UnavailableError {
  constructor(
    message: string,
    readonly logTail: readonly string[],
  ) {
    super(withLogTail(message, logTail));
  }
}

/**
 * A leased engine went away: it exited on its own (a crash), or the agent stopped it (its GPUs
 * were needed by another engine, or the agent is shutting down). Fails the task attempt that
 * held the lease; the message ends with the last lines of the engine's log.
 */
export class EngineDiedError extends UnavailableError {
  constructor(
    message: string,
    readonly logTail: readonly string[],
  ) {
    super(withLogTail(message, logTail));
  }
}
