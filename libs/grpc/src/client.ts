/**
 * Calling gRPC from Gantry's processes: promise-returning calls with a deadline, bearer
 * metadata, and errors mapped back to the taxonomy.
 */
import {
  type CallOptions,
  type Client,
  type ClientUnaryCall,
  type Metadata,
  type ServiceError,
  type ClientReadableStream,
  type ChannelOptions,
} from '@grpc/grpc-js';
import { fromServiceError } from './errors';

/**
 * A channel's options. `reconnectMaxMs` caps the wait between connection attempts once the
 * server went away (grpc-js backs off up to 120 s by default): a node agent sets it well under
 * the control plane's node-lost timeout, so that after a control-plane restart it is heard from
 * again before the new leader counts its silence as a lost node.
 */
export function channelOptions(
  maxMessageBytes: number,
  { reconnectMaxMs }: { reconnectMaxMs?: number } = {},
): ChannelOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.enable_retries': 0,
    ...(reconnectMaxMs === undefined
      ? {}
      : {
          'grpc.initial_reconnect_backoff_ms': Math.min(1000, reconnectMaxMs),
          'grpc.max_reconnect_backoff_ms': reconnectMaxMs,
        }),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- matching generated method signatures */
type UnarySignature<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/** The names of a generated client's unary methods. */
export type UnaryMethodName<C> = {
  [K in keyof C]: C[K] extends UnarySignature<any, any> ? K : never;
}[keyof C];

export type RequestOf<F> = F extends UnarySignature<infer Req, any> ? Req : never;
export type ResponseOf<F> = F extends UnarySignature<any, infer Res> ? Res : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Calls a unary method by name (`callUnary(client, 'submitJob', request, metadata, 5000)`), with
 * a deadline; rejects with a GantryError (transport failures and deadlines: UnavailableError).
 * Taking the name rather than `client.submitJob` keeps the method bound to its client.
 */
export function callUnary<C extends Client, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: RequestOf<C[K]>,
  metadata: Metadata,
  timeoutMs: number,
): Promise<ResponseOf<C[K]>> {
  const invoke = client[method] as unknown as UnarySignature<RequestOf<C[K]>, ResponseOf<C[K]>>;
  return new Promise((resolve, reject) => {
    invoke.call(
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
