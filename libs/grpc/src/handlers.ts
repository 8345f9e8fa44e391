/**
 * Adapters from async functions to grpc-js handlers. Every RPC of every server goes through
 * these, so errors are mapped, logged and counted the same way everywhere.
 */
import {
  status,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type handleUnaryCall,
  type handleServerStreamingCall,
  type handleClientStreamingCall,
} from '@grpc/grpc-js';
import { GantryError } from '@gantry/domain';
import { toServiceError } from './errors';
import { assertWellFormed } from './malformed';

/** What the adapters tell about each finished call (metrics, logs). */
export interface CallObserver {
  finished(method: string, code: status, seconds: number, error?: unknown): void;
}

function finish(
  observer: CallObserver | undefined,
  method: string,
  started: bigint,
  error?: unknown,
): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const code = error === undefined ? status.OK : toServiceError(error).code;
  observer?.finished(method, code, seconds, error);
}

export function unary<Req, Res>(
  method: string,
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
  observer?: CallObserver,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = process.hrtime.bigint();
    Promise.resolve()
      .then(() => {
        assertWellFormed(call.request);
        return handler(call.request, call);
      })
      .then(
        (response) => {
          finish(observer, method, started);
          callback(null, response);
        },
        (error: unknown) => {
          finish(observer, method, started, error);
          callback(toServiceError(error));
        },
      );
  };
}

export function serverStreaming<Req, Res>(
  method: string,
  handler: (request: Req, call: ServerWritableStream<Req, Res>) => Promise<void>,
  observer?: CallObserver,
): handleServerStreamingCall<Req, Res> {
  return (call: ServerWritableStream<Req, Res>) => {
    const started = process.hrtime.bigint();
    Promise.resolve()
      .then(() => {
        assertWellFormed(call.request);
        return handler(call.request, call);
      })
      .then(
        () => {
          finish(observer, method, started);
          call.end();
        },
        (error: unknown) => {
          finish(observer, method, started, error);
          // grpc-js sends the status of an 'error' event after what was written; destroy()
          // would tear the stream down without ever sending a status, leaving the client hanging.
          const mapped = toServiceError(error);
          if (!call.cancelled) call.emit('error', Object.assign(new Error(mapped.details), mapped));
        },
      );
  };
}

/** Whether an error is the caller's (4xx-like) rather than the server's: log those at debug. */
export function isClientFault(error: unknown): boolean {
  return error instanceof GantryError && !['INTERNAL', 'UNAVAILABLE'].includes(error.code);
}

/**
 * A client-streaming call: the handler reads the request stream (an async iterable of decoded
 * messages, each checked like a unary request) and returns the single response.
 */
export function clientStreaming<Req, Res>(
  method: string,
  handler: (requests: AsyncIterable<Req>, call: ServerReadableStream<Req, Res>) => Promise<Res>,
  observer?: CallObserver,
): handleClientStreamingCall<Req, Res> {
  return (call: ServerReadableStream<Req, Res>, callback: sendUnaryData<Res>) => {
    const started = process.hrtime.bigint();
    async function* messages(): AsyncGenerator<Req> {
      for await (const message of call as AsyncIterable<Req>) {
        assertWellFormed(message);
        yield message;
      }
    }
    Promise.resolve()
      .then(() => handler(messages(), call))
      .then(
        (response) => {
          finish(observer, method, started);
          callback(null, response);
        },
        (error: unknown) => {
          finish(observer, method, started, error);
          callback(toServiceError(error));
        },
      );
  };
}
