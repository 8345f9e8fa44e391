/**
 * The error taxonomy. Every error that crosses a process boundary is one of these classes; the
 * API layer maps `code` to a gRPC status in one place. `retryable` tells callers whether the
 * same request may succeed later.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'ABORTED'
  | 'INTERNAL';

export abstract class GantryError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem with one field; `field` is the path a client sees, e.g. `spec.resources.gpus`. */
export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

export class ValidationError extends GantryError {
  readonly code = 'INVALID_ARGUMENT';
  readonly retryable = false;

  constructor(readonly violations: readonly FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join('; '));
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class NotFoundError extends GantryError {
  readonly code = 'NOT_FOUND';
  readonly retryable = false;

  constructor(kind: string, id: string) {
    super(`${kind} ${id} not found`);
  }
}

export class AlreadyExistsError extends GantryError {
  readonly code = 'ALREADY_EXISTS';
  readonly retryable = false;
}

export class FailedPreconditionError extends GantryError {
  readonly code = 'FAILED_PRECONDITION';
  readonly retryable = false;
}

/** A report or command about an attempt that is no longer the job's current one. */
export class StaleAttemptError extends FailedPreconditionError {}

export class UnauthenticatedError extends GantryError {
  readonly code = 'UNAUTHENTICATED';
  readonly retryable = false;
}

export class PermissionDeniedError extends GantryError {
  readonly code = 'PERMISSION_DENIED';
  readonly retryable = false;
}

/** Too large, or over a limit: the same request will not succeed later. */
export class ResourceExhaustedError extends GantryError {
  readonly code = 'RESOURCE_EXHAUSTED';
  readonly retryable = false;
}

export class UnavailableError extends GantryError {
  readonly code = 'UNAVAILABLE';
  readonly retryable = true;
}

/** A write lost a race (a newer scheduler leader, a concurrent update); retrying may succeed. */
export class AbortedError extends GantryError {
  readonly code = 'ABORTED';
  readonly retryable = true;
}

export class InternalError extends GantryError {
  readonly code = 'INTERNAL';
  readonly retryable = false;
}

export function isGantryError(error: unknown): error is GantryError {
  return error instanceof GantryError;
}
