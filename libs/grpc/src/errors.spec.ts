import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import {
  AbortedError,
  AlreadyExistsError,
  FailedPreconditionError,
  type GantryError,
  InternalError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  StaleAttemptError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '@gantry/domain';
import { FIELD_VIOLATIONS_TRAILER, fromServiceError, toServiceError } from './errors';

/** What a client receives for a server error: grpc-js hands the trailers over as `metadata`. */
function overTheWire(error: unknown): ServiceError {
  const server = toServiceError(error);
  return Object.assign(new Error(`${server.code} ${status[server.code]}: ${server.details}`), {
    code: server.code,
    details: server.details,
    metadata: server.metadata ?? new Metadata(),
  });
}

describe('toServiceError / fromServiceError', () => {
  it.each([
    [new NotFoundError('job', 'job_1'), status.NOT_FOUND, NotFoundError],
    [new AlreadyExistsError('key k names job_2'), status.ALREADY_EXISTS, AlreadyExistsError],
    [new FailedPreconditionError('not yet'), status.FAILED_PRECONDITION, FailedPreconditionError],
    [new UnauthenticatedError('missing key'), status.UNAUTHENTICATED, UnauthenticatedError],
    [new PermissionDeniedError('not an admin'), status.PERMISSION_DENIED, PermissionDeniedError],
    [new AbortedError('fenced out'), status.ABORTED, AbortedError],
  ] as const)('keeps %p: code %p, same class and message', (error, code, type) => {
    const server = toServiceError(error);
    expect(server).toMatchObject({ code, details: error.message });
    const back = fromServiceError(overTheWire(error));
    expect(back).toBeInstanceOf(type);
    expect(back.message).toBe(error.message);
    expect(back.code).toBe(error.code);
  });

  it('maps a StaleAttemptError to FAILED_PRECONDITION', () => {
    const error = new StaleAttemptError('attempt 1 is stale');
    expect(toServiceError(error).code).toBe(status.FAILED_PRECONDITION);
    expect(fromServiceError(overTheWire(error))).toBeInstanceOf(FailedPreconditionError);
  });

  it.each([
    [
      new UnavailableError('agent down'),
      status.UNAVAILABLE,
      UnavailableError,
      'UNAVAILABLE: agent down',
    ],
    [new InternalError('disk on fire'), status.INTERNAL, InternalError, 'INTERNAL: disk on fire'],
  ] as const)(
    'keeps %p as its class, the message prefixed by the status',
    (error, code, type, message) => {
      expect(toServiceError(error).code).toBe(code);
      const back = fromServiceError(overTheWire(error));
      expect(back).toBeInstanceOf(type);
      expect(back.message).toBe(message);
      expect(back.retryable).toBe(error.retryable);
    },
  );

  it('keeps every field violation of a ValidationError through the trailer', () => {
    const error = new ValidationError([
      { field: 'spec.resources.gpus', message: 'must be at least 0' },
      { field: 'spec.queue', message: 'must be 1-63 lower-case letters' },
    ]);
    const server = toServiceError(error);
    expect(server.code).toBe(status.INVALID_ARGUMENT);
    expect(server.details).toBe(error.message);
    expect(JSON.parse(String(server.metadata?.get(FIELD_VIOLATIONS_TRAILER)[0]))).toEqual(
      error.violations,
    );
    const back = fromServiceError(overTheWire(error));
    expect(back).toBeInstanceOf(ValidationError);
    expect((back as ValidationError).violations).toEqual(error.violations);
    expect(back.message).toBe(error.message);
  });

  it('cuts huge messages and violation lists to sizes HTTP/2 trailers carry', () => {
    const notFound = toServiceError(new NotFoundError('job', 'x'.repeat(100_000)));
    expect(notFound.details).toHaveLength(4096);
    expect(notFound.details).toMatch(/^job x+\.\.\.$/);
    const violations = Array.from({ length: 3000 }, (_, i) => ({
      field: `spec.labels.${'k'.repeat(i === 0 ? 1000 : 10)}`,
      message: 'must be a valid label key',
    }));
    const server = toServiceError(new ValidationError(violations));
    const trailer = String(server.metadata?.get(FIELD_VIOLATIONS_TRAILER)[0]);
    expect(trailer.length).toBeLessThanOrEqual(8192);
    const sent = JSON.parse(trailer) as { field: string; message: string }[];
    expect(sent[0]!.field).toBe(`${violations[0]!.field.slice(0, 253)}...`);
    expect(sent.slice(1)).toEqual(violations.slice(1, sent.length));
    expect(server.details.length).toBeLessThanOrEqual(4096);
  });

  it('turns an INVALID_ARGUMENT without the trailer into one violation of no field', () => {
    const back = fromServiceError(
      Object.assign(new Error('x'), {
        code: status.INVALID_ARGUMENT,
        details: 'bad input',
        metadata: new Metadata(),
      }),
    );
    expect((back as ValidationError).violations).toEqual([{ field: '', message: 'bad input' }]);
  });

  it('answers INTERNAL for anything that is not a GantryError, without its message', () => {
    for (const thrown of [new Error('password=hunter2'), 'password=hunter2', { password: 1 }]) {
      const server = toServiceError(thrown);
      expect(server.code).toBe(status.INTERNAL);
      expect(server.details).not.toContain('hunter2');
      expect(server.details).toBe('internal error (see the server log)');
    }
  });

  it('turns RESOURCE_EXHAUSTED into a ResourceExhaustedError that is not retried', () => {
    const back = fromServiceError(
      Object.assign(new Error('x'), {
        code: status.RESOURCE_EXHAUSTED,
        details: 'Received message larger than max',
        metadata: new Metadata(),
      }),
    );
    expect(back).toBeInstanceOf(ResourceExhaustedError);
    expect(back.retryable).toBe(false);
    expect(back.message).toBe('Received message larger than max');
  });

  it.each([
    [status.UNAVAILABLE, 'UNAVAILABLE'],
    [status.DEADLINE_EXCEEDED, 'DEADLINE_EXCEEDED'],
    [status.CANCELLED, 'CANCELLED'],
  ])('turns transport status %p into a retryable UnavailableError', (code, name) => {
    const back = fromServiceError(
      Object.assign(new Error('x'), { code, details: 'no answer', metadata: new Metadata() }),
    );
    expect(back).toBeInstanceOf(UnavailableError);
    expect(back.message).toBe(`${name}: no answer`);
    expect(back.retryable).toBe(true);
  });

  it('turns other statuses into InternalError and non-gRPC values into InternalError', () => {
    const unimplemented = fromServiceError(
      Object.assign(new Error('x'), {
        code: status.UNIMPLEMENTED,
        details: 'no such method',
        metadata: new Metadata(),
      }),
    );
    expect(unimplemented).toBeInstanceOf(InternalError);
    expect(unimplemented.message).toBe('UNIMPLEMENTED: no such method');
    const plain = fromServiceError(new TypeError('boom'));
    expect(plain).toBeInstanceOf(InternalError);
    expect(plain.message).toContain('boom');
  });

  it('passes a GantryError through unchanged', () => {
    const error: GantryError = new NotFoundError('job', 'j');
    expect(fromServiceError(error)).toBe(error);
  });
});
