import { UnauthenticatedError, UnavailableError } from '@gantry/domain';

/**
 * Errors the CLI raises itself. Each belongs to one exit-code kind (see exit-codes.ts); the
 * server's errors arrive as the domain's classes through @gantry/grpc's fromServiceError.
 */

/** The command line itself is wrong (a malformed flag value, a missing argument): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** No endpoint was given anywhere (flag, environment, context file): exit 2. */
export class NoEndpointError extends UsageError {
  constructor(contextPath: string) {
    super(
      `no control plane endpoint: pass --endpoint host:port, set GANTRY_ENDPOINT, ` +
        `or start a local cluster with \`gantry up\` (it writes ${contextPath})`,
    );
  }
}

/** No API key for the endpoint: exit 4, like the server's UNAUTHENTICATED. */
export class NoApiKeyError extends UnauthenticatedError {
  constructor(endpoint: string) {
    super(
      `no API key for ${endpoint}: pass --api-key KEY, set GANTRY_API_KEY, ` +
        `or run \`gantry up\` for a local cluster (it saves its admin key in the context)`,
    );
  }
}

/** A call could not reach the control plane: exit 5, naming the endpoint. */
export class ControlPlaneUnreachableError extends UnavailableError {
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    const detail = transportDetail(cause instanceof Error ? cause.message : String(cause));
    super(
      `cannot reach the control plane at ${endpoint} (${detail}); is it running? ` +
        'Start a local cluster with `gantry up`',
      { cause },
    );
  }
}

/** grpc-js's transport messages, shortened to what a person can act on. */
export function transportDetail(message: string): string {
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(message)) return 'unknown host';
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(message)) return 'host unreachable';
  if (/DEADLINE_EXCEEDED/.test(message)) return 'no answer before the deadline';
  return message.replace(/\s*Resolution note:.*$/s, '').trim();
}

/** Turns an UnavailableError from a call into one that names the endpoint; others pass. */
export function withEndpoint(error: unknown, endpoint: string): unknown {
  if (error instanceof UnavailableError && !(error instanceof ControlPlaneUnreachableError))
    return new ControlPlaneUnreachableError(endpoint, error);
  return error;
}
