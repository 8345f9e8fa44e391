/**
 * The HTTP JSON bridge (ADR 10, docs/portal.md): `POST /rpc/<package.Service>/<Method>` with a
 * protobuf JSON body calls the same grpc-js handler a gRPC client reaches, derived from the
 * service definitions and the file descriptors, so there is no second hand-written API.
 *
 * Contract. Reads: the request's JSON text and its `authorization` header. Calls: the unary
 * handler of that method with the request decoded through the binary form (the very decoder
 * gRPC uses) and the header as gRPC metadata, so auth, validation and errors are the gRPC
 * ones. Answers: 200 with the response as protobuf JSON, or an HTTP status mapped from the gRPC
 * code with `{ code, message, violations? }` (`code` the gRPC code's name, `violations` the
 * fields INVALID_ARGUMENT names). Unknown services and methods are 404 NOT_FOUND; streaming
 * methods are 501 UNIMPLEMENTED (gRPC only).
 */
import {
  Metadata,
  status,
  type ServerUnaryCall,
  type UntypedHandleCall,
  type handleUnaryCall,
} from '@grpc/grpc-js';
import type { DescMethod } from '@bufbuild/protobuf';
import { GantryError, NotFoundError, type FieldViolation } from '@gantry/domain';
import { FIELD_VIOLATIONS_TRAILER, toServiceError, type ServerError } from './errors';
import { ProtoJsonCodec } from './json-codec';
import type { ServiceBinding } from './server';

export interface JsonCall {
  /** The fully-qualified service, e.g. `gantry.v1.RentalService`. */
  readonly service: string;
  /** The method as in the proto, e.g. `ListOffers`. */
  readonly method: string;
  /** Protobuf JSON; empty for the empty request. */
  readonly body: string;
  /** The HTTP `authorization` header, passed on as gRPC metadata. */
  readonly authorization?: string | undefined;
}

export interface JsonError {
  /** The gRPC status code's name, e.g. `INVALID_ARGUMENT`. */
  readonly code: string;
  readonly message: string;
  readonly violations?: readonly FieldViolation[];
}

export interface JsonReply {
  readonly status: number;
  readonly body: unknown;
}

/** gRPC code -> HTTP status, as Google APIs and grpc-gateway map them. */
export const HTTP_STATUS_OF: Readonly<Record<number, number>> = {
  [status.OK]: 200,
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
  [status.UNAUTHENTICATED]: 401,
};

interface Route {
  readonly descriptor: DescMethod;
  readonly definition: ServiceBinding['definition'][string];
  readonly handler: UntypedHandleCall | undefined;
}

export class JsonBridge {
  private readonly routes = new Map<string, Route>();
  private readonly services = new Set<string>();
  private readonly codec: ProtoJsonCodec;

  /**
   * @param failed told of every failure that is not a handler's answer (a response that does
   *   not encode, a bug here): the caller gets INTERNAL, the operator needs the reason.
   */
  constructor(
    services: readonly ServiceBinding[],
    descriptorSetBase64: string,
    private readonly failed: (error: unknown, method: string) => void = () => {},
  ) {
    const codec = (this.codec = new ProtoJsonCodec(descriptorSetBase64));
    for (const binding of services) {
      const service = codec.service(binding.name);
      if (!service) throw new Error(`${binding.name} is not in the descriptor set`);
      this.services.add(binding.name);
      for (const [key, definition] of Object.entries(binding.definition)) {
        const descriptor = service.methods.find(
          (m) => `/${binding.name}/${m.name}` === definition.path,
        );
        if (!descriptor) throw new Error(`${definition.path} is not in the descriptor set`);
        this.routes.set(definition.path, {
          descriptor,
          definition,
          handler: binding.implementation[key],
        });
      }
    }
  }

  /** Every method served, as `<package.Service>/<Method>` (streaming ones included, refused). */
  methods(): string[] {
    return [...this.routes.keys()].map((path) => path.slice(1));
  }

  async call(call: JsonCall): Promise<JsonReply> {
    try {
      const route = this.routes.get(`/${call.service}/${call.method}`);
      if (!route) {
        throw new NotFoundError(
          this.services.has(call.service) ? 'method' : 'service',
          this.services.has(call.service) ? `${call.service}/${call.method}` : call.service,
        );
      }
      const name = `${call.service}/${call.method}`;
      if (route.definition.requestStream || route.definition.responseStream)
        return unimplemented(
          `${name} streams: the JSON bridge calls unary methods only (use gRPC)`,
        );
      if (!route.handler) return unimplemented(`${name} is not implemented`);
      const request: unknown = route.definition.requestDeserialize(
        Buffer.from(this.codec.decodeRequest(route.descriptor.input, call.body)),
      );
      const response = await invoke(
        route.handler as handleUnaryCall<unknown, unknown>,
        request,
        call,
      );
      const bytes = route.definition.responseSerialize(response);
      return { status: 200, body: this.codec.encodeResponse(route.descriptor.output, bytes) };
    } catch (error) {
      if (isServerError(error)) return reply(error);
      if (!(error instanceof GantryError)) this.failed(error, `${call.service}/${call.method}`);
      return reply(toServiceError(error));
    }
  }
}

function invoke(
  handler: handleUnaryCall<unknown, unknown>,
  request: unknown,
  call: JsonCall,
): Promise<unknown> {
  const metadata = new Metadata();
  if (call.authorization !== undefined) metadata.set('authorization', call.authorization);
  // What a unary handler may read of its call; nothing streams and nothing cancels it.
  const unaryCall = {
    request,
    metadata,
    cancelled: false,
    getPeer: () => 'json-bridge',
    getPath: () => `/${call.service}/${call.method}`,
    getDeadline: () => Infinity,
  } as unknown as ServerUnaryCall<unknown, unknown>;
  return new Promise((resolve, reject) => {
    // The adapters answer a failure with a gRPC status (code, details, metadata).
    handler(unaryCall, (error, value) =>
      error ? reject(Object.assign(new Error(error.details), error)) : resolve(value),
    );
  });
}

function unimplemented(details: string): JsonReply {
  return reply({ code: status.UNIMPLEMENTED, details });
}

function isServerError(error: unknown): error is ServerError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ServerError).code === 'number' &&
    typeof (error as ServerError).details === 'string'
  );
}

function reply(error: ServerError): JsonReply {
  const raw = error.metadata?.get(FIELD_VIOLATIONS_TRAILER)[0];
  const body: JsonError = {
    code: status[error.code] ?? 'UNKNOWN',
    message: error.details,
    ...(raw === undefined ? {} : { violations: JSON.parse(String(raw)) as FieldViolation[] }),
  };
  return { status: HTTP_STATUS_OF[error.code] ?? 500, body };
}
