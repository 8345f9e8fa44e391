/**
 * Calls a service implementation's handlers in process, through the same adapters (unary,
 * serverStreaming) a real server uses, so validation and error mapping are exercised too.
 */
import type { handleUnaryCall, Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { GantryError } from '@gantry/domain';
import { fromServiceError } from '@gantry/grpc';

/** Resolves with the response, or rejects with the error a client would get back. */
export function callHandler<Req, Res>(
  handler: handleUnaryCall<Req, Res>,
  request: Req,
  metadata: Metadata,
): Promise<Res> {
  const call = { request, metadata } as unknown as ServerUnaryCall<Req, Res>;
  return new Promise((resolve, reject) => {
    handler(call, (error, response) => {
      if (error) reject(fromServiceError(error));
      else resolve(response as Res);
    });
  });
}

/** The error a call failed with; fails the test when it succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<GantryError> {
  try {
    await call;
  } catch (error) {
    return error as GantryError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
