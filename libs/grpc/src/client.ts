/**
 * Calling gRPC from Gantry's processes: promise-returning calls with a deadline, bearer
 * metadata, and errors mapped back to the taxonomy.
 */
import {
  type Client,
  type Metadata,
  type ServiceError,
  type ClientReadableStream,
  type ChannelOptions,
} from '@grpc/grpc-js';
import { fromServiceError } from './errors';

export function channelOptions(maxMessageBytes: number): ChannelOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.enable_retries': 0,
  };
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** Calls a unary method; rejects with a GantryError (UNAVAILABLE, DEADLINE_EXCEEDED → UnavailableError). */
export function callUnary<C extends Client, Req, Res>(
  client: C,
  method: UnaryMethod<Req, Res>,
  request: Req,
  metadata: Metadata,
  timeoutMs: number,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method.call(
      client,
      request,
      metadata,
      { deadline: new Date(Date.now() + timeoutMs) },
      (error, response) => (error ? reject(fromServiceError(error)) : resolve(response)),
    );
  });
}

/** Iterates a server stream; errors are mapped to the taxonomy. */
export async function* readStream<Res>(stream: ClientReadableStream<Res>): AsyncGenerator<Res> {
  try {
    for await (const message of stream as AsyncIterable<Res>) yield message;
  } catch (error) {
    throw fromServiceError(error);
  }
}
