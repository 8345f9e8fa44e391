import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  FailedPreconditionError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '@gantry/domain';
import {
  AgentGatewayServiceService,
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  LeaseProduct,
  LeaseState,
  RentalServiceService,
  type CreateLeaseRequest,
  type ListOffersResponse,
  type Lease,
} from '@gantry/proto';
import { JsonBridge, type JsonCall } from './json-bridge';
import { ProtoJsonCodec } from './json-codec';
import { unary } from './handlers';
import { bearerToken } from './metadata';

const seen: { request?: unknown; token?: string } = {};

function lease(req: CreateLeaseRequest): Lease {
  return {
    id: 'lease_1',
    renter: 'alice',
    product: req.lease!.product,
    gpuModel: req.lease!.gpuModel,
    gpus: req.lease!.gpus,
    nodes: 1,
    fabricDomain: '',
    priceMicrosPerGpuHour: req.lease!.bidMicrosPerGpuHour,
    state: LeaseState.LEASE_STATE_PENDING,
    endReason: '',
    message: '',
    createTime: new Date('2026-12-05T10:00:00Z'),
    gpuSeconds: 0,
    chargedMicros: 0,
    creditedMicros: 0,
    nodeNames: [],
    idempotencyKey: req.idempotencyKey,
  };
}

/** A RentalService whose handlers go through the real adapters (auth, errors as gRPC has them). */
const rental = {
  listOffers: unary('ListOffers', async (_req, call: { metadata: Metadata }) => {
    seen.token = bearerToken(call.metadata);
    return {
      offers: [
        {
          product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
          gpuModel: 'H100-80GB',
          fabricDomain: '',
          gpus: 4,
          maxGpusPerNode: 4,
          availableFrom: new Date('2026-12-05T10:00:00Z'),
          availableUntil: new Date('2026-12-05T11:00:00Z'),
          priceMicrosPerGpuHour: 1_200_000,
          outbid: true,
        },
      ],
    } satisfies ListOffersResponse;
  }),
  createLease: unary('CreateLease', async (req: CreateLeaseRequest) => {
    seen.request = req;
    return { lease: lease(req), created: true };
  }),
  quote: unary('Quote', async () => {
    throw ValidationError.field('lease.bid_micros_per_gpu_hour', 'is under the floor $1.20');
  }),
  getLease: unary('GetLease', async () => {
    throw new NotFoundError('lease', 'lease_x');
  }),
  listLeases: unary('ListLeases', async () => {
    throw new PermissionDeniedError('tenant ops is not a renter');
  }),
  extendLease: unary('ExtendLease', async () => {
    throw new FailedPreconditionError('a reserved lease cannot be extended');
  }),
  releaseLease: unary('ReleaseLease', async () => {
    throw new Error('the database fell over');
  }),
} as unknown as UntypedServiceImplementation;

const bridge = new JsonBridge(
  [{ name: 'gantry.v1.RentalService', definition: RentalServiceService, implementation: rental }],
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
);

const call = (method: string, body: unknown, extra: Partial<JsonCall> = {}) =>
  bridge.call({
    service: 'gantry.v1.RentalService',
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    authorization: 'Bearer gk_key',
    ...extra,
  });

const buy = {
  lease: {
    product: 'LEASE_PRODUCT_INTERRUPTIBLE',
    gpuModel: 'H100-80GB',
    gpus: 2,
    duration: '3600s',
    bidMicrosPerGpuHour: '1300000',
  },
  idempotency_key: 'k-1',
};

describe('JsonBridge', () => {
  beforeEach(() => {
    delete seen.request;
    delete seen.token;
  });

  it('lists every method of the services it serves', () => {
    expect(bridge.methods()).toContain('gantry.v1.RentalService/CreateLease');
    expect(bridge.methods()).toContain('gantry.v1.RentalService/WatchLease');
  });

  it('decodes protobuf JSON into the typed request (enum names, int64 strings, durations, either field name)', async () => {
    const reply = await call('CreateLease', buy);
    expect(reply.status).toBe(200);
    expect(seen.request).toEqual({
      lease: {
        product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
        gpuModel: 'H100-80GB',
        gpus: 2,
        nodes: 0,
        duration: { seconds: 3600, nanos: 0 },
        windowStartTime: undefined,
        bidMicrosPerGpuHour: 1_300_000,
        fabricDomain: '',
      },
      idempotencyKey: 'k-1',
    });
  });

  it('answers protobuf JSON: every field, int64 as strings, enums by name, RFC 3339 times', async () => {
    const reply = await call('ListOffers', '');
    expect(reply).toEqual({
      status: 200,
      body: {
        offers: [
          {
            product: 'LEASE_PRODUCT_INTERRUPTIBLE',
            gpuModel: 'H100-80GB',
            fabricDomain: '',
            gpus: 4,
            maxGpusPerNode: 4,
            availableFrom: '2026-12-05T10:00:00Z',
            availableUntil: '2026-12-05T11:00:00Z',
            priceMicrosPerGpuHour: '1200000',
            outbid: true,
          },
        ],
      },
    });
    const created = await call('CreateLease', buy);
    expect(created.body).toMatchObject({
      created: true,
      lease: { state: 'LEASE_STATE_PENDING', priceMicrosPerGpuHour: '1300000', nodeNames: [] },
    });
  });

  it('passes the authorization header on as gRPC metadata, and without one the handler says UNAUTHENTICATED', async () => {
    await call('ListOffers', {});
    expect(seen.token).toBe('gk_key');
    const reply = await call('ListOffers', {}, { authorization: undefined });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'missing authorization: Bearer <key> metadata',
    });
  });

  it.each([
    ['Quote', 400, 'INVALID_ARGUMENT'],
    ['GetLease', 404, 'NOT_FOUND'],
    ['ListLeases', 403, 'PERMISSION_DENIED'],
    ['ExtendLease', 400, 'FAILED_PRECONDITION'],
    ['ReleaseLease', 500, 'INTERNAL'],
  ])('maps %s failing to HTTP %i with code %s', async (method, httpStatus, code) => {
    const reply = await call(method, {});
    expect(reply.status).toBe(httpStatus);
    expect(reply.body).toMatchObject({ code });
  });

  it('hands on the field violations of INVALID_ARGUMENT, and hides what an INTERNAL error was', async () => {
    expect((await call('Quote', {})).body).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'lease.bid_micros_per_gpu_hour: is under the floor $1.20',
      violations: [{ field: 'lease.bid_micros_per_gpu_hour', message: 'is under the floor $1.20' }],
    });
    expect((await call('ReleaseLease', {})).body).toEqual({
      code: 'INTERNAL',
      message: 'internal error (see the server log)',
    });
  });

  it('is 404 for an unknown service or method, and for services it does not serve', async () => {
    expect(await call('BuyEverything', {})).toEqual({
      status: 404,
      body: {
        code: 'NOT_FOUND',
        message: 'method gantry.v1.RentalService/BuyEverything not found',
      },
    });
    const agent = await bridge.call({
      service: 'gantry.v1.AgentGatewayService',
      method: 'Register',
      body: '',
    });
    expect(agent).toEqual({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'service gantry.v1.AgentGatewayService not found' },
    });
  });

  it('is 501 for a streaming method and for one the implementation lacks', async () => {
    expect(await call('WatchLease', { leaseId: 'lease_1' })).toMatchObject({
      status: 501,
      body: {
        code: 'UNIMPLEMENTED',
        message: expect.stringContaining('unary methods only') as string,
      },
    });
    expect(await call('GetUsage', {})).toMatchObject({
      status: 501,
      body: { code: 'UNIMPLEMENTED' },
    });
  });

  it.each([
    ['{"lease": {', 'body', /^is not valid JSON/],
    ['[1, 2]', 'body', /^must be a JSON object$/],
    ['{"lease": {"gpuz": 2}}', 'lease.gpuz', /^is not a field of gantry.v1.LeaseRequest$/],
    ['{"lease": {"gpus": "two"}}', 'lease.gpus', /expected number \(int32\)/],
    ['{"lease": {"gpus": 3000000000}}', 'lease.gpus', /out of range/],
    [
      '{"lease": {"product": "CHEAP"}}',
      'lease.product',
      /"CHEAP" is not a valid gantry.v1.LeaseProduct/,
    ],
    [
      '{"lease": {"duration": "an hour"}}',
      'lease.duration',
      /is not a valid google.protobuf.Duration/,
    ],
    ['{"lease": 7}', 'lease', /^must be a JSON object$/],
    ['{"idempotencyKey": 5}', 'idempotency_key', /expected string/],
  ])('is 400 INVALID_ARGUMENT naming the field for the body %s', async (body, field, message) => {
    const reply = await call('CreateLease', body);
    expect(reply.status).toBe(400);
    const error = reply.body as { code: string; violations: { field: string; message: string }[] };
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.violations).toEqual([
      { field, message: expect.stringMatching(message) as string },
    ]);
    expect(seen.request).toBeUndefined();
  });

  it('names a repeated field, and a message in a list by its index', async () => {
    const reply = await call('ListLeases', { states: ['LEASE_STATE_ACTIVE', 'SOLD'] });
    expect(reply.body).toMatchObject({
      code: 'INVALID_ARGUMENT',
      violations: [{ field: 'states', message: expect.stringContaining('SOLD') as string }],
    });
    const codec = new ProtoJsonCodec(GANTRY_FILE_DESCRIPTOR_SET_BASE64);
    const offers = codec.message('gantry.v1.ListOffersResponse')!;
    expect(() => codec.decodeRequest(offers, '{"offers": [{}, {"gpus": "x"}]}')).toThrow(
      'offers[1].gpus: expected number (int32)',
    );
  });

  it('refuses a binding whose service is not in the descriptor set', () => {
    expect(
      () =>
        new JsonBridge(
          [{ name: 'gantry.v1.Nope', definition: AgentGatewayServiceService, implementation: {} }],
          GANTRY_FILE_DESCRIPTOR_SET_BASE64,
        ),
    ).toThrow('gantry.v1.Nope is not in the descriptor set');
  });
});
