/**
 * The one place where Gantry's error taxonomy meets gRPC status codes, both ways: servers turn
 * a GantryError into a status, clients turn a status back into the same class.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  AbortedError,
  AlreadyExistsError,
  FailedPreconditionError,
  GantryError,
  InternalError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type ErrorCode,
  type FieldViolation,
} from '@gantry/domain';

const STATUS_OF: Record<ErrorCode, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
  ABORTED: status.ABORTED,
  INTERNAL: status.INTERNAL,
};

/** Trailer carrying ValidationError's field violations as JSON, for clients that want them. */
export const FIELD_VIOLATIONS_TRAILER = 'gantry-field-violations';

export type ServerError = Partial<ServiceError> & { code: status; details: string };

/**
 * Status details and the violations trailer are HTTP/2 trailers: past about 64 KiB the client
 * resets the stream (and its connection) with INTERNAL. A message echoing a huge id, or
 * thousands of violations, is cut to these sizes.
 */
const MAX_DETAILS_CHARS = 4096;
const MAX_VIOLATIONS_JSON_CHARS = 8192;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** The first violations, each clipped, that fit the trailer. */
function trailerViolations(violations: readonly FieldViolation[]): FieldViolation[] {
  const kept: FieldViolation[] = [];
  let size = 2;
  for (const violation of violations) {
    const clipped = { field: clip(violation.field, 256), message: clip(violation.message, 512) };
    size += JSON.stringify(clipped).length + 1;
    if (size > MAX_VIOLATIONS_JSON_CHARS) break;
    kept.push(clipped);
  }
  return kept;
}

/** Maps any thrown value to a gRPC error; anything not a GantryError is INTERNAL. */
export function toServiceError(error: unknown): ServerError {
  if (error instanceof GantryError) {
    const metadata = new Metadata();
    if (error instanceof ValidationError) {
      metadata.set(FIELD_VIOLATIONS_TRAILER, JSON.stringify(trailerViolations(error.violations)));
    }
    return {
      code: STATUS_OF[error.code],
      details: clip(error.message, MAX_DETAILS_CHARS),
      metadata,
    };
  }
  return { code: status.INTERNAL, details: 'internal error (see the server log)' };
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && 'details' in error;
}

/** Turns a failed client call back into the taxonomy; transport failures are UnavailableError. */
export function fromServiceError(error: unknown): GantryError {
  if (error instanceof GantryError) return error;
  if (!isServiceError(error)) return new InternalError(String(error), { cause: error });
  const message = error.details || error.message;
  switch (error.code) {
    case status.INVALID_ARGUMENT: {
      const raw = error.metadata?.get(FIELD_VIOLATIONS_TRAILER)[0];
      const violations = raw
        ? (JSON.parse(String(raw)) as FieldViolation[])
        : [{ field: '', message }];
      return new ValidationError(violations);
    }
    case status.NOT_FOUND: {
      const notFound = new NotFoundError('resource', '');
      notFound.message = message;
      return notFound;
    }
    case status.ALREADY_EXISTS:
      return new AlreadyExistsError(message);
    case status.FAILED_PRECONDITION:
      return new FailedPreconditionError(message);
    case status.UNAUTHENTICATED:
      return new UnauthenticatedError(message);
    case status.PERMISSION_DENIED:
      return new PermissionDeniedError(message);
    case status.ABORTED:
      return new AbortedError(message);
    case status.RESOURCE_EXHAUSTED:
      return new ResourceExhaustedError(message);
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
    case status.CANCELLED:
      return new UnavailableError(`${status[error.code]}: ${message}`, { cause: error });
    default:
      return new InternalError(`${status[error.code] ?? error.code}: ${message}`, { cause: error });
  }
}
