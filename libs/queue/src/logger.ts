/**
 * What the Redis side logs through: the shape of a pino logger's methods (object first, then
 * message), so the control plane passes its own logger and tests pass a recording one.
 */
export interface QueueLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Normalizes anything thrown into an Error. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
