import {
  Client,
  credentials,
  loadPackageDefinition,
  Metadata,
  status,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { join } from 'node:path';
import {
  InternalError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  type GantryError,
} from '@gantry/domain';
import {
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  JobServiceClient,
  JobServiceService,
  type GetJobRequest,
  type GetJobResponse,
  type JobServiceServer,
  type WatchJobRequest,
  type WatchJobResponse,
} from '@gantry/proto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { callUnary, readStream } from './client';
import { serverStreaming, unary, type CallObserver } from './handlers';
import { setServing, startGrpcServer, type RunningGrpcServer, type ServiceBinding } from './server';

const MAX_MESSAGE_BYTES = 8 * 1024;

type Watch = (
  request: WatchJobRequest,
  call: ServerWritableStream<WatchJobRequest, WatchJobResponse>,
) => Promise<void>;

/** A JobService whose GetJob and WatchJob do what the running test says. */
class ScriptedJobService {
  getJob: (request: GetJobRequest) => Promise<GetJobResponse> = async () => ({ job: undefined });
  watchJob: Watch = async () => undefined;
  submitted = 0;
  readonly finished: { method: string; code: status }[] = [];

  binding(): ServiceBinding {
    const observer: CallObserver = {
      finished: (method, code) => this.finished.push({ method, code }),
    };
    const implementation: JobServiceServer = {
      submitJob: unary(
        'SubmitJob',
        async () => {
          this.submitted++;
          return { job: undefined, created: true, arrayJobIds: [] };
        },
        observer,
      ),
      getJob: unary('GetJob', (request: GetJobRequest) => this.getJob(request), observer),
      listJobs: unary('ListJobs', async () => ({ jobs: [], nextPageToken: '' }), observer),
      cancelJob: unary('CancelJob', async () => ({ job: undefined }), observer),
      recordCheckpoint: unary('RecordCheckpoint', async () => ({ job: undefined }), observer),
      watchJob: serverStreaming(
        'WatchJob',
        (request, call) => this.watchJob(request, call),
        observer,
      ),
    };
    return { name: 'gantry.v1.JobService', definition: JobServiceService, implementation };
  }
}

function start(service: ScriptedJobService): Promise<RunningGrpcServer> {
  return startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    services: [service.binding()],
    descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  });
}

const emptyJob = {
  id: '',
  tenant: '',
  state: 0,
  reason: '',
  message: '',
  attempt: 0,
  attempts: [],
  idempotencyKey: '',
  progress: 0,
  priorityClass: '',
  arrayId: '',
  preemptions: 0,
  parentJobId: '',
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function rejection(promise: Promise<unknown>): Promise<GantryError> {
  try {
    await promise;
  } catch (error) {
    return error as GantryError;
  }
  throw new Error('expected the call to fail');
}

interface HealthClient extends Client {
  Check(
    request: { service: string },
    callback: (error: ServiceError | null, response?: { status: string }) => void,
  ): void;
}

const healthPackage = loadPackageDefinition(
  loadSync(healthProtoPath, { enums: String }),
) as unknown as {
  grpc: { health: { v1: { Health: ServiceClientConstructor } } };
};

const reflectionProto = join(
  require.resolve('@grpc/reflection'),
  '../../proto/grpc/reflection/v1/reflection.proto',
);
const reflectionPackage = loadPackageDefinition(loadSync(reflectionProto)) as unknown as {
  grpc: { reflection: { v1: { ServerReflection: ServiceClientConstructor } } };
};

describe('startGrpcServer', () => {
  const service = new ScriptedJobService();
  let server: RunningGrpcServer;
  let address: string;
  let client: JobServiceClient;
  const closers: Client[] = [];

  beforeAll(async () => {
    server = await start(service);
    address = `127.0.0.1:${server.port}`;
    client = new JobServiceClient(address, credentials.createInsecure());
    closers.push(client);
  });

  afterAll(async () => {
    for (const c of closers) c.close();
    await server.shutdown(1000);
  });

  function healthStatus(name: string): Promise<string> {
    const health = new healthPackage.grpc.health.v1.Health(
      address,
      credentials.createInsecure(),
    ) as unknown as HealthClient;
    closers.push(health);
    return new Promise((resolve, reject) =>
      health.Check({ service: name }, (error, response) =>
        error ? reject(error) : resolve(response!.status),
      ),
    );
  }

  it('answers grpc.health.v1 checks: NOT_SERVING until told, then SERVING', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(await healthStatus('')).toBe('NOT_SERVING');
    setServing(server, [service.binding()], true);
    expect(await healthStatus('')).toBe('SERVING');
    expect(await healthStatus('gantry.v1.JobService')).toBe('SERVING');
    const unknown = await healthStatus('gantry.v1.Nope').catch((e: ServiceError) => e.code);
    expect(unknown).toBe(status.NOT_FOUND);
  });

  it('lists its services through server reflection', async () => {
    const reflection = new reflectionPackage.grpc.reflection.v1.ServerReflection(
      address,
      credentials.createInsecure(),
    );
    closers.push(reflection);
    const stream = (
      reflection as unknown as {
        ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(message: object): boolean };
      }
    ).ServerReflectionInfo();
    const answer = new Promise<{ listServicesResponse?: { service: { name: string }[] } }>(
      (resolve, reject) => {
        stream.once('data', resolve);
        stream.once('error', reject);
      },
    );
    stream.write({ listServices: '' });
    const names = (await answer).listServicesResponse?.service.map((s) => s.name);
    stream.end();
    expect(names).toEqual(
      expect.arrayContaining(['gantry.v1.JobService', 'grpc.health.v1.Health']),
    );
  });

  it('answers bytes that do not decode with INVALID_ARGUMENT naming `request`', async () => {
    const generic = new Client(address, credentials.createInsecure());
    closers.push(generic);
    const error = await new Promise<ServiceError | null>((resolve) =>
      generic.makeUnaryRequest(
        '/gantry.v1.JobService/GetJob',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        new Metadata(),
        (e) => resolve(e),
      ),
    );
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^request: is not a valid protobuf message \(.+\)$/);
    service.getJob = async (request) => ({ job: { ...emptyJob, id: request.jobId } });
    const good = await callUnary(client, 'getJob', { jobId: 'job_ok' }, new Metadata(), 5000);
    expect(good.job?.id).toBe('job_ok');
  });

  it('refuses a message over maxMessageBytes with RESOURCE_EXHAUSTED, without calling the handler', async () => {
    const before = service.submitted;
    const error = await new Promise<ServiceError | null>((resolve) =>
      client.submitJob(
        { spec: undefined, idempotencyKey: 'k'.repeat(MAX_MESSAGE_BYTES * 2) },
        new Metadata(),
        (e) => resolve(e),
      ),
    );
    expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(service.submitted).toBe(before);
    await callUnary(
      client,
      'submitJob',
      { spec: undefined, idempotencyKey: 'k' },
      new Metadata(),
      5000,
    );
    expect(service.submitted).toBe(before + 1);
  });

  it('maps a handler NotFoundError to NOT_FOUND, and callUnary back to NotFoundError', async () => {
    service.getJob = async (request) => {
      throw new NotFoundError('job', request.jobId);
    };
    const raw = await new Promise<ServiceError | null>((resolve) =>
      client.getJob({ jobId: 'job_x' }, (e) => resolve(e)),
    );
    expect(raw?.code).toBe(status.NOT_FOUND);
    expect(raw?.details).toBe('job job_x not found');
    const error = await rejection(
      callUnary(client, 'getJob', { jobId: 'job_y' }, new Metadata(), 5000),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('job job_y not found');
    expect(service.finished.slice(-2)).toEqual([
      { method: 'GetJob', code: status.NOT_FOUND },
      { method: 'GetJob', code: status.NOT_FOUND },
    ]);
  });

  it('keeps a huge error within what HTTP/2 trailers carry, and the connection usable', async () => {
    service.getJob = async () => {
      throw new NotFoundError('job', 'j'.repeat(200_000)); // e.g. an id echoed back
    };
    const notFound = await rejection(
      callUnary(client, 'getJob', { jobId: 'j' }, new Metadata(), 5000),
    );
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.message).toMatch(/^job j+\.\.\.$/);
    const many = Array.from({ length: 5000 }, (_, i) => ({
      field: `spec.command.env.${'K'.repeat(40)}${i}`,
      message: 'must be a valid variable name',
    }));
    service.getJob = async () => {
      throw new ValidationError(many);
    };
    const invalid = await rejection(
      callUnary(client, 'getJob', { jobId: 'j' }, new Metadata(), 5000),
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).violations[0]).toEqual(many[0]);
    service.getJob = async (request) => ({ job: { ...emptyJob, id: request.jobId } });
    const after = await callUnary(client, 'getJob', { jobId: 'job_ok' }, new Metadata(), 5000);
    expect(after.job?.id).toBe('job_ok');
  });

  it('sends field violations to the client in the trailer', async () => {
    const violations = [
      { field: 'job_id', message: 'is required' },
      { field: 'page_size', message: 'must be 0-1000' },
    ];
    service.getJob = async () => {
      throw new ValidationError(violations);
    };
    const error = await rejection(callUnary(client, 'getJob', { jobId: '' }, new Metadata(), 5000));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual(violations);
  });

  it('answers INTERNAL without the message for unexpected errors, even thrown synchronously', async () => {
    service.getJob = () => {
      throw new Error('connection string postgres://admin:hunter2@db');
    };
    const raw = await new Promise<ServiceError | null>((resolve) =>
      client.getJob({ jobId: 'j' }, (e) => resolve(e)),
    );
    expect(raw?.code).toBe(status.INTERNAL);
    expect(raw?.details).not.toContain('hunter2');
    const error = await rejection(
      callUnary(client, 'getJob', { jobId: 'j' }, new Metadata(), 5000),
    );
    expect(error).toBeInstanceOf(InternalError);
  });

  it('turns a missed deadline into UnavailableError', async () => {
    const release = deferred();
    service.getJob = async () => {
      await release.promise;
      return { job: undefined };
    };
    const error = await rejection(callUnary(client, 'getJob', { jobId: 'j' }, new Metadata(), 50));
    release.resolve();
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/^DEADLINE_EXCEEDED/);
  });

  it('delivers what a stream wrote, then the status of the error that ended it', async () => {
    service.watchJob = async (request, call) => {
      call.write({ event: { sequence: 1, attempt: 0, payload: undefined } });
      throw new NotFoundError('job', request.jobId);
    };
    const received: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const message of readStream(
          client.watchJob({ jobId: 'job_w', fromSequence: 1 }),
        )) {
          received.push(message.event?.sequence ?? -1);
        }
      })(),
    );
    expect(received).toEqual([1]);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('job job_w not found');
    expect(service.finished.at(-1)).toEqual({ method: 'WatchJob', code: status.NOT_FOUND });
  });

  it('ends a stream with OK when its handler returns', async () => {
    service.watchJob = async (_request, call) => {
      call.write({ event: { sequence: 1, attempt: 0, payload: undefined } });
      call.write({ event: { sequence: 2, attempt: 0, payload: undefined } });
    };
    const received: number[] = [];
    for await (const message of readStream(client.watchJob({ jobId: 'j', fromSequence: 1 })))
      received.push(message.event?.sequence ?? -1);
    expect(received).toEqual([1, 2]);
  });

  it('answers a malformed streaming request with INVALID_ARGUMENT', async () => {
    const generic = new Client(address, credentials.createInsecure());
    closers.push(generic);
    const stream = generic.makeServerStreamRequest(
      '/gantry.v1.JobService/WatchJob',
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      new Metadata(),
    );
    const error = await new Promise<ServiceError>((resolve) => {
      stream.on('data', () => undefined);
      stream.on('error', resolve);
    });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain('request: is not a valid protobuf message');
  });
});

describe('RunningGrpcServer.shutdown', () => {
  it('is safe to call twice and stops serving', async () => {
    const server = await start(new ScriptedJobService());
    const client = new JobServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    await callUnary(
      client,
      'listJobs',
      { states: [], queue: '', pageSize: 0, pageToken: '' },
      new Metadata(),
      5000,
    );
    const first = server.shutdown(1000);
    const second = server.shutdown(1000);
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await expect(server.shutdown(1000)).resolves.toBeUndefined();
    const error = await rejection(
      callUnary(
        client,
        'listJobs',
        { states: [], queue: '', pageSize: 0, pageToken: '' },
        new Metadata(),
        2000,
      ),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    client.close();
  });

  it('cancels a call still running after the grace time', async () => {
    const service = new ScriptedJobService();
    const started = deferred();
    const never = deferred();
    service.getJob = async () => {
      started.resolve();
      await never.promise;
      return { job: undefined };
    };
    const server = await start(service);
    const client = new JobServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const call = rejection(callUnary(client, 'getJob', { jobId: 'j' }, new Metadata(), 10_000));
    await started.promise;
    await server.shutdown(50);
    const error = await call;
    expect(error).toBeInstanceOf(UnavailableError);
    never.resolve();
    client.close();
  });
});
