/**
 * grpc-js answers INTERNAL when a request's bytes do not decode. A client sending a malformed
 * message is the client's fault, so servers decode through `tolerantDefinition`, which turns a
 * decoding failure into a marker the handler adapters answer with INVALID_ARGUMENT.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { ValidationError } from '@gantry/domain';

const MALFORMED = Symbol('malformed request');

interface Malformed {
  readonly [MALFORMED]: string;
}

function isMalformed(value: unknown): value is Malformed {
  return typeof value === 'object' && value !== null && MALFORMED in value;
}

/** Throws the INVALID_ARGUMENT a malformed request deserves. */
export function assertWellFormed(request: unknown): void {
  if (isMalformed(request)) {
    throw ValidationError.field(
      'request',
      `is not a valid protobuf message (${request[MALFORMED]})`,
    );
  }
}

export function tolerantDefinition(definition: ServiceDefinition): ServiceDefinition {
  const methods = Object.entries(definition).map(([name, method]) => [
    name,
    {
      ...method,
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return {
            [MALFORMED]: error instanceof Error ? error.message : String(error),
          } satisfies Malformed;
        }
      },
    },
  ]);
  return Object.fromEntries(methods) as ServiceDefinition;
}
